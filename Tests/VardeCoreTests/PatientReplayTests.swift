import Foundation
import Testing

@testable import VardeCore

@Suite struct PatientReplayTests {
    /// A busy history with sub-millisecond clocks, so normalization matters.
    static func scenario() throws -> Given {
        var g = Given()
        let jitter = 0.000_123_4 / 3600
        try g.when(Fx.enroll(.hjertesvikt), at: jitter)
        try g.when(.bindDevice(serial: "SC-1", kind: "scale"), at: 0.5 + jitter)
        try g.when(Fx.reading("w1", .weight(kg: 80), measuredHours: 1 + jitter), at: 1 + jitter)
        let a = try g.when(Fx.reading("w2", .weight(kg: 83.2), measuredHours: 30), at: 30).raised[0].alertId
        try g.when(.escalateAlert(a, note: "call"), at: 31)
        try g.when(.checkOverdue, at: 40, by: .system)
        try g.when(.assignTeams(kommune: Fx.otherKommune, sykehus: Fx.sykehus), at: 41)
        var set = ThresholdSet.defaults(for: .hjertesvikt)
        set.weightGain = .init(yellowKg: 1.5, redKg: 2.5, windowDays: 2)
        try g.when(.changeThresholds(set, reason: "tighter"), at: 42)
        try g.when(Fx.reading("bp1", .bloodPressure(systolic: 95, diastolic: 60, pulse: 48), measuredHours: 43), at: 43)
        try g.when(.voidReading(readingID: Fx.readingID("bp1"), reason: "error"), at: 44)
        try g.when(.resolveAlert(a, note: "stable"), at: 45)
        try g.when(.discharge(reason: "done"), at: 50)
        return g
    }

    @Test func foldingDecidedEventsReproducesState() throws {
        let g = try Self.scenario()
        #expect(g.events.count > 15)
        #expect(PatientState.replay(g.events) == g.state)
        #expect(g.state.version == Int64(g.events.count))
    }

    @Test func replayThroughTheCodecReproducesStateExactly() throws {
        let g = try Self.scenario()
        let stored = try g.events.map { e throws(DomainError) in
            try PatientEvent.decode(type: e.type, schemaVersion: e.schemaVersion, data: e.encode())
        }
        #expect(stored == g.events)
        #expect(PatientState.replay(stored) == g.state)
    }

    @Test func replayKeepsRecordedDecisionsAfterThresholdsChange() throws {
        let g = try Self.scenario()
        let replayed = PatientState.replay(g.events)
        let weight = replayed.alerts.values.first { $0.rule == .weightGain }
        #expect(weight?.thresholdVersion == 1)
        #expect(weight?.severity == .red)
        #expect(replayed.alerts.values.filter(\.isActive).isEmpty)
        #expect(replayed.isDischarged)
    }
}
