import Foundation
import Testing
import VardeCore

@testable import VardeSimulator

@Suite struct SpecRulesTests {
    let kols = ThresholdSet.defaults(for: .kols)
    let at = SimulationConfig.defaultStart

    @Test func boundsAreInclusiveAndRedWins() {
        #expect(SpecRules.breaches(.spo2(percent: 90), measuredAt: at, kols, weights: []).isEmpty)
        #expect(SpecRules.breaches(.spo2(percent: 89), measuredAt: at, kols, weights: []) == [.init(rule: .spo2Low, severity: .yellow)])
        #expect(SpecRules.breaches(.spo2(percent: 85), measuredAt: at, kols, weights: []) == [.init(rule: .spo2Low, severity: .red)])
        #expect(SpecRules.breaches(.pulse(perMinute: 131), measuredAt: at, kols, weights: []) == [.init(rule: .pulseHigh, severity: .red)])
    }

    @Test func aCuffsPulseIsJudgedAsPulse() {
        let b = SpecRules.breaches(.bloodPressure(systolic: 185, diastolic: 90, pulse: 45), measuredAt: at, kols, weights: [])
        #expect(Set(b) == [.init(rule: .systolicHigh, severity: .yellow), .init(rule: .pulseLow, severity: .yellow)])
    }

    @Test func weightGainComparesWithTheLowestInTheWindow() {
        let hf = ThresholdSet.defaults(for: .hjertesvikt)
        let day = 86_400.0
        let history: SpecRules.WeightHistory = [
            (at.addingTimeInterval(-4 * day), 78.0), (at.addingTimeInterval(-2 * day), 79.9), (at.addingTimeInterval(-1 * day), 80.5),
        ]
        // 78.0 is outside the 3-day window: 81.9 − 79.9 = 2.0 kg, exactly yellow.
        #expect(
            SpecRules.breaches(.weight(kg: 81.9), measuredAt: at, hf, weights: history) == [.init(rule: .weightGain, severity: .yellow)])
        #expect(SpecRules.breaches(.weight(kg: 81.8), measuredAt: at, hf, weights: history).isEmpty)
        #expect(SpecRules.breaches(.weight(kg: 82.9), measuredAt: at, hf, weights: history) == [.init(rule: .weightGain, severity: .red)])
        #expect(SpecRules.breaches(.weight(kg: 90), measuredAt: at, hf, weights: []).isEmpty, "no earlier weight, nothing to compare")
    }
}

@Suite struct IndividualisationTests {
    func spo2(_ values: [Double]) -> [MeasurementValue] { values.map { .spo2(percent: $0) } }

    @Test func aSteadyKOLSPatientGetsLimitsBelowTheirOwnUsualValue() {
        // Mean 93, standard deviation about 1: yellow three points below, red four below that.
        let t = Individualisation.thresholds(program: .kols, baseline: spo2([92, 93, 94, 93, 92, 94, 93, 93, 92, 94]))
        #expect(t.spo2Low == .init(yellow: 90, red: 86))
    }

    @Test func aPatientLivingLowIsNotAlertedForTheirUsualSelf() {
        // Usual SpO2 88 (below the programme's yellow of 89): the limits move below it but never under the red floor.
        let t = Individualisation.thresholds(program: .kols, baseline: spo2([88, 87, 89, 88, 88, 87, 89, 88]))
        #expect(t.spo2Low!.yellow! < 87)
        #expect(t.spo2Low!.red! >= ThresholdSet.defaults(for: .kols).spo2Low!.red!)
    }

    @Test func aHighNormalPatientGetsTighterLimitsThanTheProgramme() {
        let t = Individualisation.thresholds(program: .kols, baseline: spo2(Array(repeating: 97, count: 10)))
        #expect(t.spo2Low!.yellow! == 94, "97 − 3, so a fall to 94 is seen (the programme waits for 89)")
    }

    @Test func fewReadingsKeepTheProgrammeDefaults() {
        let t = Individualisation.thresholds(program: .kols, baseline: spo2([93, 93, 93]))
        #expect(t == ThresholdSet.defaults(for: .kols))
    }

    @Test func bloodPressureLimitsFollowTheUsualPressureWithinTheRedLimit() {
        let bp: [MeasurementValue] = (0..<14).map { .bloodPressure(systolic: 150 + Double($0 % 3), diastolic: 90, pulse: 70) }
        let t = Individualisation.thresholds(program: .hypertensjon, baseline: bp)
        let d = ThresholdSet.defaults(for: .hypertensjon)
        #expect(t.systolicHigh!.yellow! == 171)
        #expect(t.systolicHigh!.red! <= d.systolicHigh!.red!)
        #expect(t.weightGain == d.weightGain)
        #expect(t.expected == d.expected)
    }
}
