import Foundation
import Testing

@testable import VardeCore

/// The what-if replay: a proposed set decided again over a window of the
/// patient's own stream, beside what was raised.
@Suite struct ThresholdPreviewTests {
    /// A kols patient on the defaults (SpO2 yellow ≤ 89, red ≤ 85): 92 raises
    /// nothing, 88 raises yellow, 84 makes it red; the nurse resolves it; 91 later.
    static func history() throws -> Given {
        var g = Given(.kols)
        try g.when(.bindDevice(serial: "dev-1", kind: "pulseOximeter"), at: 0.5)
        try g.when(Fx.reading("r1", .spo2(percent: 92), measuredHours: 1), at: 1)
        try g.when(Fx.reading("p1", .pulse(perMinute: 80), measuredHours: 1), at: 1)
        let a = try g.when(Fx.reading("r2", .spo2(percent: 88), measuredHours: 2), at: 2).raised[0].alertId
        try g.when(Fx.reading("r3", .spo2(percent: 84), measuredHours: 3), at: 3)
        try g.when(.resolveAlert(a, note: "ringte"), at: 4)
        try g.when(Fx.reading("r4", .spo2(percent: 91), measuredHours: 5), at: 5)
        try g.when(Fx.reading("p2", .pulse(perMinute: 82), measuredHours: 5), at: 5)
        return g
    }

    @Test func theSetInForceGivesBackWhatWasRaised() throws {
        let g = try Self.history()
        let r = ThresholdPreview.run(g.events, proposed: .defaults(for: .kols), from: Fx.at(0.75), to: Fx.at(6))
        #expect(r.readings == 6)
        #expect(r.raised.count == 1)
        #expect(r.wouldRaise.map(\.alertID) == r.raised.map(\.alertID))
        #expect(r.wouldRaise.allSatisfy(\.inBoth) && r.raised.allSatisfy(\.inBoth))
        let raised = try #require(r.raised.first)
        #expect(raised.rule == .spo2Low && raised.severity == .red && raised.value == 88 && raised.limit == 89)
        #expect(raised.breachCount == 2 && raised.worstValue == 84 && raised.readingID == Fx.readingID("r2"))
        #expect(raised.measuredAt == Fx.at(2))
    }

    @Test func aStricterSetAlertsEarlierAndAgainAfterTheResolve() throws {
        let g = try Self.history()
        var proposed = ThresholdSet.defaults(for: .kols)
        proposed.spo2Low = .init(yellow: 92, red: 88)
        let r = ThresholdPreview.run(g.events, proposed: proposed, from: Fx.at(0.75), to: Fx.at(6))
        // 92 raises (yellow), 88 and 84 update it to red; the nurse's resolve names
        // the recorded alert (raised by 88), not this one, so 91 updates it too.
        #expect(r.wouldRaise.count == 1)
        let would = try #require(r.wouldRaise.first)
        #expect(would.readingID == Fx.readingID("r1") && would.value == 92 && would.limit == 92)
        #expect(would.severity == .red && would.breachCount == 4 && would.worstValue == 84 && !would.inBoth)
        #expect(r.raised.count == 1 && r.raised[0].inBoth == false)
    }

    @Test func aLooserSetRaisesNothing() throws {
        let g = try Self.history()
        var proposed = ThresholdSet.defaults(for: .kols)
        proposed.spo2Low = .init(yellow: 83, red: 80)
        let r = ThresholdPreview.run(g.events, proposed: proposed, from: Fx.at(0.75), to: Fx.at(6))
        #expect(r.wouldRaise.isEmpty)
        #expect(r.raised.count == 1)
    }

    @Test func theWindowLeavesOutWhatCameBefore() throws {
        let g = try Self.history()
        let r = ThresholdPreview.run(g.events, proposed: .defaults(for: .kols), from: Fx.at(4.5), to: Fx.at(6))
        #expect(r.readings == 2 && r.raised.isEmpty && r.wouldRaise.isEmpty)
    }

    @Test func overdueAlertsAtTheInstantTheGapBecameOverdue() throws {
        let g = try Self.history()
        var proposed = ThresholdSet.defaults(for: .kols)
        proposed.expected = [.init(kind: .pulse, intervalHours: 2, graceHours: 1)]
        let r = ThresholdPreview.run(g.events, proposed: proposed, from: Fx.at(0.75), to: Fx.at(12))
        // Pulse at 1 h and 5 h: due at 4 h (resolved by the reading at 5 h), and again at 8 h.
        let overdue = r.wouldRaise.filter { $0.rule == .overdue(.pulse) }
        #expect(overdue.map(\.raisedAt) == [Fx.at(4), Fx.at(8)])
        #expect(overdue.map(\.overdueSince) == [Fx.at(1), Fx.at(5)])
        #expect(overdue.allSatisfy { $0.readingID == nil && !$0.inBoth })
        // The recorded stream had no sweep in it: nothing overdue was raised.
        #expect(r.raised.allSatisfy { $0.rule == .spo2Low })
    }
}
