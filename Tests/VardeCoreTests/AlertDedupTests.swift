import Foundation
import Testing

@testable import VardeCore

@Suite struct AlertDedupTests {
    @Test func furtherBreachUpdatesInsteadOfRaising() throws {
        var g = Given(.kols)
        let first = try g.when(Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1)
        #expect(first.types == ["ReadingRecorded", "AlertRaised"])
        let alertID = first.raised[0].alertId
        #expect(alertID == DeterministicID.alertID(readingEventID: Fx.readingID("r1"), rule: .spo2Low))
        #expect(first.raised[0].routedTo == [Fx.kommune])
        #expect(first.raised[0].thresholdVersion == 1)

        let second = try g.when(Fx.reading("r2", .spo2(percent: 87), measuredHours: 2), at: 2)
        #expect(second.types == ["ReadingRecorded", "AlertUpdated"])
        #expect(
            second.updated[0]
                == AlertUpdated(
                    alertId: alertID, readingId: Fx.readingID("r2"), value: 87, worstValue: 87,
                    breachCount: 2, severity: .yellow, limit: 89, thresholdVersion: 1, at: Fx.at(2)))
        let a = g.state.alerts[alertID]!
        #expect(a.readings == [Fx.readingID("r1"), Fx.readingID("r2")])
        #expect(g.state.alerts.count == 1)
    }

    @Test func redBreachRaisesSeverityAndReroutes() throws {
        var g = Given(.kols)
        let id = try g.when(Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1).raised[0].alertId
        try g.when(.acknowledgeAlert(id, note: nil), at: 1.5)
        let out = try g.when(Fx.reading("r2", .spo2(percent: 84), measuredHours: 2), at: 2)
        #expect(out.updated.map(\.severity) == [.red])
        #expect(out.updated.map(\.limit) == [85])
        var a = g.state.alerts[id]!
        #expect((a.severity, a.worstValue, a.breachCount, a.state) == (.red, 84, 2, .acknowledged))
        #expect(a.routedTo == [Fx.kommune, Fx.sykehus])

        // A later milder breach never lowers severity or the worst value.
        try g.when(Fx.reading("r3", .spo2(percent: 88), measuredHours: 3), at: 3)
        a = g.state.alerts[id]!
        #expect((a.severity, a.worstValue, a.breachCount) == (.red, 84, 3))
    }

    @Test func afterResolutionANewAlertIsRaised() throws {
        var g = Given(.kols)
        let id = try g.when(Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1).raised[0].alertId
        try g.when(.resolveAlert(id, note: nil), at: 2)
        let out = try g.when(Fx.reading("r2", .spo2(percent: 88), measuredHours: 3), at: 3)
        #expect(out.raised.count == 1)
        #expect(out.raised[0].alertId != id)
        #expect(g.state.activeAlert(rule: .spo2Low)?.id == out.raised[0].alertId)
    }

    @Test func highWorstValueIsTheMaximum() throws {
        var g = Given(.hypertensjon)
        try g.when(Fx.reading("r1", .bloodPressure(systolic: 170, diastolic: 80, pulse: nil), measuredHours: 1), at: 1)
        try g.when(Fx.reading("r2", .bloodPressure(systolic: 165, diastolic: 80, pulse: nil), measuredHours: 2), at: 2)
        #expect(g.state.activeAlert(rule: .systolicHigh)?.worstValue == 170)
    }
}
