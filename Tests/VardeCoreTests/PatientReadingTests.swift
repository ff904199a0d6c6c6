import Foundation
import Testing

@testable import VardeCore

@Suite struct PatientReadingTests {
    @Test func recordsTheReadingUnderItsDeterministicID() throws {
        var g = Given(.generell)
        let out = try g.when(Fx.reading("r1", .spo2(percent: 97), measuredHours: -2), at: 1)
        #expect(
            out == [
                .readingRecorded(
                    ReadingRecorded(
                        readingId: Fx.readingID("r1"), gatewayReadingId: "r1", gateway: Fx.gateway, deviceSerial: "dev-1",
                        measuredAt: Fx.at(-2), receivedAt: Fx.at(1), value: .spo2(percent: 97), asSent: ReadingAsSent(unit: "x", value: 1)))
            ])
        #expect(out[0].requiredEventID == Fx.readingID("r1"))
        #expect(g.state.lastMeasured[.spo2] == Fx.at(-2))  // measured before enrolment: accepted
    }

    @Test func duplicateGatewayReadingYieldsNoEventsAndTheOriginalID() throws {
        var g = Given(.kols)
        try g.when(Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1)
        // A retry, even with another value, is a duplicate.
        #expect(try g.when(Fx.reading("r1", .spo2(percent: 70), measuredHours: 1), at: 2).isEmpty)
        #expect(g.state.existingReading(gateway: Fx.gateway, gatewayReadingID: "r1") == Fx.readingID("r1"))
        #expect(g.state.existingReading(gateway: Fx.gateway, gatewayReadingID: "r2") == nil)
        #expect(g.state.alerts.count == 1)
        // The same reading id from another gateway is a different reading.
        #expect(try g.when(Fx.reading("r1", .spo2(percent: 96), measuredHours: 1, gateway: Fx.sykehus), at: 2).types == ["ReadingRecorded"])
    }

    @Test func voidWithdrawsAlertsWhoseOnlyReadingItWas() throws {
        var g = Given(.hypertensjon)
        let out = try g.when(Fx.reading("bp1", .bloodPressure(systolic: 170, diastolic: 105, pulse: 120), measuredHours: 1), at: 1)
        #expect(out.raised.map(\.rule) == [.systolicHigh, .diastolicHigh, .pulseHigh])
        try g.when(Fx.reading("bp2", .bloodPressure(systolic: 165, diastolic: 80, pulse: nil), measuredHours: 2), at: 2)

        let void = try g.when(.voidReading(readingID: Fx.readingID("bp1"), reason: "cuff slipped"), at: 3)
        #expect(void.types == ["ReadingVoided", "AlertResolved", "AlertResolved"])
        #expect(Set(void.resolved.map(\.alertId)) == Set(out.raised.filter { $0.rule != .systolicHigh }.map(\.alertId)))
        #expect(void.resolved.allSatisfy { $0.resolution == .withdrawn && $0.by == Fx.nurse })
        // systolic.high was also triggered by bp2: it stays.
        #expect(g.state.activeAlert(rule: .systolicHigh) != nil)
        #expect(g.state.readings[Fx.readingID("bp1")]?.isVoid == true)
    }

    @Test func voidingTheLastOfAnAlertsReadingsWithdrawsIt() throws {
        var g = Given(.hypertensjon)
        let first = try g.when(Fx.reading("bp1", .bloodPressure(systolic: 170, diastolic: 80, pulse: nil), measuredHours: 1), at: 1)
        try g.when(Fx.reading("bp2", .bloodPressure(systolic: 165, diastolic: 80, pulse: nil), measuredHours: 2), at: 2)
        let alert = try #require(first.raised.first { $0.rule == .systolicHigh })
        // The first void leaves bp2 behind the alert; the second leaves nothing.
        #expect(try g.when(.voidReading(readingID: Fx.readingID("bp2"), reason: "cuff slipped"), at: 3).types == ["ReadingVoided"])
        let second = try g.when(.voidReading(readingID: Fx.readingID("bp1"), reason: "wrong patient"), at: 4)
        #expect(second.types == ["ReadingVoided", "AlertResolved"])
        #expect(second.resolved.map(\.alertId) == [alert.alertId])
        #expect(second.resolved.first?.resolution == .withdrawn)
        #expect(g.state.activeAlert(rule: .systolicHigh) == nil)
    }

    @Test func voidRefusals() throws {
        var g = Given(.kols)
        #expect(
            domainError { () throws(DomainError) in _ = try g.decide(.voidReading(readingID: UUID(), reason: "x")) } == .notFound("reading")
        )
        try g.when(Fx.reading("r1", .spo2(percent: 96), measuredHours: 1), at: 1)
        try g.when(.voidReading(readingID: Fx.readingID("r1"), reason: "x"), at: 2)
        #expect(
            domainError { () throws(DomainError) in _ = try g.decide(.voidReading(readingID: Fx.readingID("r1"), reason: "x")) }
                == .conflict("reading is already void"))
        #expect(g.state.lastMeasured[.spo2] == nil)
    }

    @Test func weightTrendUsesMeasuredTimeAndSkipsVoidReadings() throws {
        var g = Given(.hjertesvikt)
        try g.when(Fx.reading("w-late", .weight(kg: 82.5), measuredHours: 48), at: 48)
        // Arrives later but was measured first: judged against nothing before it.
        #expect(try g.when(Fx.reading("w-early", .weight(kg: 80), measuredHours: 0), at: 49).raised.isEmpty)
        try g.when(Fx.reading("w-low", .weight(kg: 79.5), measuredHours: 24), at: 50)
        try g.when(.voidReading(readingID: Fx.readingID("w-low"), reason: "wrong scale"), at: 51)
        let out = try g.when(Fx.reading("w-now", .weight(kg: 82.1), measuredHours: 60), at: 60)
        #expect(out.raised.map(\.rule) == [.weightGain])
        #expect(out.raised.first?.value == 2.1)  // against 80, not the void 79.5
        #expect(out.raised.first?.severity == .yellow)
    }
}
