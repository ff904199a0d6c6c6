import Foundation
import Testing

@testable import VardeCore

/// The state keeps the latest `retainedPerKind` readings of each kind; what
/// it forgets must not change a decision the store can vouch for.
@Suite struct PatientRetentionTests {
    static let n = PatientState.retainedPerKind

    /// `n + extra` SpO2 readings "s0"… measured an hour apart, received at the end.
    static func spo2Patient(extra: Int) throws -> Given {
        var g = Given(.kols)
        for i in 0..<(n + extra) { try g.when(Fx.reading("s\(i)", .spo2(percent: 96), measuredHours: Double(i) / 100), at: 10) }
        return g
    }

    @Test func keepsTheLatestMeasuredReadingsOfEachKind() throws {
        var g = try Self.spo2Patient(extra: 5)
        try g.when(Fx.reading("w", .weight(kg: 80), measuredHours: 1), at: 10)
        #expect(g.state.readings.count == Self.n + 1)
        #expect(g.state.readingKeys.count == Self.n + 1)
        #expect(g.state.retained[.spo2]?.count == Self.n)
        // The earliest measured are forgotten, the latest kept.
        #expect(g.state.readings[Fx.readingID("s4")] == nil)
        #expect(g.state.readings[Fx.readingID("s5")] != nil)
        #expect(g.state.existingReading(gateway: Fx.gateway, gatewayReadingID: "s0") == nil)
        #expect(g.state.lastMeasured[.spo2] == Fx.at(Double(Self.n + 4) / 100))
        #expect(PatientView(state: g.state, now: Fx.at(10)).latest[.spo2]?.readingID == Fx.readingID("s\(Self.n + 4)"))
        // A reading measured before every retained one is forgotten at once, and is not the latest.
        try g.when(Fx.reading("late", .spo2(percent: 91), measuredHours: -5), at: 11)
        #expect(g.state.readings[Fx.readingID("late")] == nil)
        #expect(g.state.retained[.spo2]?.count == Self.n)
        #expect(g.state.version == Int64(g.events.count))
    }

    @Test func replayKeepsTheSameReadingsAsTheLiveState() throws {
        let g = try Self.spo2Patient(extra: 3)
        #expect(PatientState.replay(g.events) == g.state)
    }

    @Test func voidingAForgottenReadingNeedsTheStoresWord() throws {
        var g = try Self.spo2Patient(extra: 2)
        let old = Fx.readingID("s0")
        #expect(
            domainError { () throws(DomainError) in _ = try g.decide(.voidReading(readingID: old, reason: "x")) } == .notFound("reading"))
        #expect(try g.when(.voidReading(readingID: old, reason: "feil pasient", recorded: true), at: 11).types == ["ReadingVoided"])
        #expect(g.state.voided.contains(old))
        // Void once, however old: the second is refused.
        #expect(
            domainError { () throws(DomainError) in _ = try g.decide(.voidReading(readingID: old, reason: "x", recorded: true)) }
                == .conflict("reading is already void"))
        // A forgotten reading was never the latest: the latest stays.
        #expect(g.state.lastMeasured[.spo2] == Fx.at(Double(Self.n + 1) / 100))
    }

    @Test func anAlertOfAForgottenReadingIsWithdrawnWhenItsReadingsAreVoid() throws {
        var g = Given(.kols)
        let raised = try g.when(Fx.reading("low", .spo2(percent: 84), measuredHours: 0), at: 1).raised
        let alert = try #require(raised.first)
        for i in 0..<Self.n { try g.when(Fx.reading("ok\(i)", .spo2(percent: 96), measuredHours: 1 + Double(i) / 100), at: 10) }
        #expect(g.state.readings[Fx.readingID("low")] == nil)
        let void = try g.when(.voidReading(readingID: Fx.readingID("low"), reason: "probe slipped", recorded: true), at: 11)
        #expect(void.types == ["ReadingVoided", "AlertResolved"])
        #expect(void.resolved.map(\.alertId) == [alert.alertId])
        // The history still names the reading and its value, and that it was voided.
        let entry = try #require(AlertHistory.entries(g.events).first { $0.alert.id == alert.alertId })
        #expect(entry.reading?.value == .spo2(percent: 84))
        #expect(entry.reading?.voided == true)
    }

    @Test func aLateReadingForgottenAtOnceStillRaisesAndIsNamedByItsAlert() throws {
        var g = try Self.spo2Patient(extra: 0)
        let out = try g.when(Fx.reading("late-low", .spo2(percent: 83), measuredHours: -3), at: 11)
        let alert = try #require(out.raised.first)
        #expect(g.state.readings[Fx.readingID("late-low")] == nil)
        #expect(g.state.activeAlert(rule: alert.rule)?.id == alert.alertId)
        let entry = try #require(AlertHistory.entries(g.events).first { $0.alert.id == alert.alertId })
        #expect(entry.reading?.measuredAt == Fx.at(-3))
    }
}
