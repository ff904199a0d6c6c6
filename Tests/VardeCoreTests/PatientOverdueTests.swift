import Foundation
import Testing

@testable import VardeCore

@Suite struct PatientOverdueTests {
    @Test func raisesOncePerGapAndResolvesOnAReading() throws {
        var g = Given(.kols)
        #expect(try g.when(.checkOverdue, at: 35.9).isEmpty)
        let out = try g.when(.checkOverdue, at: 36, by: .system)
        #expect(out.raised.map(\.rule) == [.overdue(.spo2), .overdue(.pulse)])
        #expect(
            out.raised.allSatisfy {
                $0.severity == .yellow && $0.routedTo == [Fx.kommune] && $0.readingId == nil && $0.overdueSince == Fx.t0
            })
        #expect(out.raised[0].alertId == DeterministicID.overdueAlertID(patientID: Fx.patient, rule: .overdue(.spo2), since: Fx.t0))
        #expect(try g.when(.checkOverdue, at: 40).isEmpty)  // never twice

        let spo2 = out.raised[0].alertId, pulse = out.raised[1].alertId
        try g.when(.resolveAlert(spo2, note: "patient in hospital"), at: 41)
        #expect(try g.when(.checkOverdue, at: 60).isEmpty)  // same gap, even after manual resolution

        let reading = try g.when(Fx.reading("p1", .pulse(perMinute: 70), measuredHours: 61), at: 61)
        #expect(
            reading.resolved == [
                AlertResolved(alertId: pulse, resolution: .autoResolved, by: .system, at: Fx.at(61), note: "reading received")
            ])
        #expect(try g.when(.checkOverdue, at: 96).isEmpty)
        let again = try g.when(.checkOverdue, at: 97)
        #expect(again.raised.map(\.rule) == [.overdue(.pulse)])
        #expect(again.raised[0].alertId != pulse)
        #expect(again.raised[0].overdueSince == Fx.at(61))
    }

    @Test func anOldLateReadingDoesNotSatisfyTheGap() throws {
        var g = Given(.hypertensjon)
        try g.when(Fx.reading("bp0", .bloodPressure(systolic: 120, diastolic: 80, pulse: nil), measuredHours: 10), at: 10)
        let alert = try g.when(.checkOverdue, at: 50).raised
        #expect(alert.map(\.overdueSince) == [Fx.at(10)])
        let late = try g.when(Fx.reading("bp-old", .bloodPressure(systolic: 120, diastolic: 80, pulse: nil), measuredHours: 5), at: 51)
        #expect(late.resolved.isEmpty)
        #expect(
            try g.when(Fx.reading("bp1", .bloodPressure(systolic: 120, diastolic: 80, pulse: nil), measuredHours: 51), at: 52).resolved.map(
                \.resolution) == [.autoResolved])
    }

    @Test func generellExpectsNothing() throws {
        let g = Given(.generell)
        #expect(try g.decide(.checkOverdue, at: 1000).isEmpty)
    }
}
