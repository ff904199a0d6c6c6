import Foundation
import Testing

@testable import VardeCore

/// Re-evaluating the alert rules over a recorded stream finds every alert
/// decision the rules would not have made, and nothing on an honest stream.
@Suite struct AlertReplayTests {
    /// Enrolment, readings that raise, update and leave alone, a sweep that
    /// raises an overdue alert, the workflow steps, a threshold change.
    static func history() throws -> Given {
        var g = Given(.kols)
        try g.when(.bindDevice(serial: "dev-1", kind: "pulseOximeter"), at: 0.5)
        try g.when(Fx.reading("r1", .spo2(percent: 95), measuredHours: 1), at: 1)
        let a = try g.when(Fx.reading("r2", .spo2(percent: 88), measuredHours: 2), at: 2).raised[0].alertId
        try g.when(Fx.reading("r3", .spo2(percent: 84), measuredHours: 3), at: 3)
        try g.when(.acknowledgeAlert(a, note: "ringer"), at: 3.5)
        try g.when(.escalateAlert(a, note: nil), at: 4)
        try g.when(.checkOverdue, at: 40, by: .system)  // pulse was never measured: overdue
        var set = ThresholdSet.defaults(for: .kols)
        set.pulseHigh = .init(yellow: 100, red: 120)
        try g.when(.changeThresholds(set, reason: "tighter"), at: 41)
        try g.when(Fx.reading("p1", .pulse(perMinute: 105), measuredHours: 42), at: 42)
        try g.when(.resolveAlert(a, note: "stabil"), at: 43)
        return g
    }

    static func versioned(_ events: [PatientEvent]) -> [(version: Int64, event: PatientEvent)] {
        events.enumerated().map { (Int64($0.offset + 1), $0.element) }
    }

    static func index(_ events: [PatientEvent], _ match: (PatientEvent) -> Bool) throws -> Int {
        let found = events.firstIndex(where: match)
        return try #require(found)
    }

    @Test func anHonestStreamHasNoDifferences() throws {
        let events = try Self.history().events
        // The scenario exercises every alert path the replay must explain.
        #expect(events.raised.count == 4)  // spo2, two overdue (spo2, pulse), pulse high
        #expect(events.raised.contains { $0.readingId == nil && $0.overdueSince != nil })
        #expect(events.updated.count == 1)
        #expect(AlertReplay.check(Self.versioned(events)) == [])
    }

    @Test func aMissingAlertRaisedIsFound() throws {
        var events = try Self.history().events
        let i = try Self.index(events) { if case .alertRaised(let a) = $0 { a.measurement == .spo2 } else { false } }
        events.remove(at: i)
        let differences = AlertReplay.check(Self.versioned(events))
        let first = try #require(differences.first)
        // The reading before it stands at i; the rules wanted an AlertRaised right after it.
        #expect(first.version == Int64(i + 1))
        #expect(first.detail.contains("AlertRaised"), "\(first)")
    }

    @Test func anExtraAlertRaisedIsFound() throws {
        var events = try Self.history().events
        let i = try Self.index(events) { if case .deviceBound = $0 { true } else { false } }
        let forged = AlertRaised(
            alertId: UUID(), rule: .spo2Low, measurement: .spo2, severity: .red, value: 80, limit: 85,
            readingId: Fx.readingID("r1"), thresholdVersion: 1, routedTo: [Fx.kommune], at: Fx.at(0.7))
        events.insert(.alertRaised(forged), at: i + 1)
        let differences = AlertReplay.check(Self.versioned(events))
        #expect(differences.map(\.version) == [Int64(i + 2)], "\(differences)")
        #expect(differences.first?.detail.contains("not explained") == true)
    }

    @Test func anExtraOverdueAlertThatNoSweepWouldRaiseIsFound() throws {
        var events = try Self.history().events
        // Right after the first readings nothing is overdue yet.
        let i = try Self.index(events) { if case .readingRecorded = $0 { true } else { false } }
        let forged = AlertRaised(
            alertId: UUID(), rule: .overdue(.pulse), measurement: .pulse, severity: .yellow, value: 1, limit: 36,
            readingId: nil, thresholdVersion: 1, overdueSince: Fx.at(0), routedTo: [Fx.kommune], at: Fx.at(1.2))
        events.insert(.alertRaised(forged), at: i + 1)
        let differences = AlertReplay.check(Self.versioned(events))
        #expect(differences.map(\.version).first == Int64(i + 2), "\(differences)")
    }

    @Test func aChangedSeverityIsFound() throws {
        var events = try Self.history().events
        let i = try Self.index(events) { if case .alertRaised(let a) = $0 { a.measurement == .spo2 } else { false } }
        guard case .alertRaised(var raised) = events[i] else {
            Issue.record("not AlertRaised")
            return
        }
        raised.severity = .red
        events[i] = .alertRaised(raised)
        let differences = AlertReplay.check(Self.versioned(events))
        #expect(differences.map(\.version) == [Int64(i + 1)], "\(differences)")
        #expect(differences.first?.detail.contains("AlertRaised") == true)
    }

    @Test func aChangedValueOnAnUpdateIsFound() throws {
        var events = try Self.history().events
        let i = try Self.index(events) { if case .alertUpdated = $0 { true } else { false } }
        guard case .alertUpdated(var updated) = events[i] else {
            Issue.record("not AlertUpdated")
            return
        }
        updated.worstValue = 70
        events[i] = .alertUpdated(updated)
        #expect(AlertReplay.check(Self.versioned(events)).map(\.version) == [Int64(i + 1)])
    }

    @Test func aRemovedReadingLeavesItsAlertUnexplained() throws {
        var events = try Self.history().events
        let i = try Self.index(events) { if case .alertRaised(let a) = $0 { a.measurement == .pulse && a.readingId != nil } else { false } }
        let reading = try Self.index(events) { if case .readingRecorded(let r) = $0 { r.value.kind == .pulse } else { false } }
        #expect(reading < i)
        events.remove(at: reading)  // the pulse reading that raised it
        let differences = AlertReplay.check(Self.versioned(events))
        #expect(differences.map(\.version).contains(Int64(i)), "\(differences)")  // the AlertRaised, one place earlier now
    }
}
