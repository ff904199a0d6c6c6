import Foundation
import Testing

@testable import VardeCore

@Suite struct RuleEvaluatorTests {
    let hf = ThresholdSet.defaults(for: .hjertesvikt)
    func day(_ d: Double) -> Date { Fx.t0.addingTimeInterval(d * 86_400) }
    func w(_ kg: Double, _ d: Double) -> WeightSample { WeightSample(readingID: UUID(), kg: kg, measuredAt: day(d)) }

    @Test func redWinsAndReportsTheRedLimit() {
        let b = RuleEvaluator.evaluate(.spo2(percent: 80), measuredAt: Fx.t0, thresholds: .defaults(for: .kols), weightHistory: [])
        #expect(b == [Breach(rule: .spo2Low, severity: .red, measurement: .spo2, observed: 80, limit: 85)])
    }

    @Test func bloodPressureJudgesEachComponentAndItsPulse() {
        let b = RuleEvaluator.evaluate(
            .bloodPressure(systolic: 185, diastolic: 112, pulse: 135), measuredAt: Fx.t0,
            thresholds: .defaults(for: .hypertensjon), weightHistory: [])
        #expect(b.map(\.rule) == [.systolicHigh, .diastolicHigh, .pulseHigh])
        #expect(b.map(\.severity) == [.red, .red, .red])
        #expect(b.map(\.measurement) == [.bloodPressure, .bloodPressure, .pulse])
    }

    static let gains: [(Double, Double, Severity?)] = [
        (81.9, 2, nil), (82.0, 2, .yellow), (82.9, 2, .yellow), (83.0, 2, .red), (85, 2, .red),
        (82.0, 3, .yellow),  // exactly 3 days after the 80 kg reading: inside the window
        (82.0, 3.0001, nil),  // just outside it
    ]

    @Test(arguments: gains)
    func weightGainAgainstLowestInWindow(kg: Double, atDay: Double, expected: Severity?) {
        let history = [w(80, 0), w(81, 1)]
        let b = RuleEvaluator.weightGain(kg, measuredAt: day(atDay), rule: hf.weightGain, history: history)
        #expect(b?.severity == expected)
        if expected != nil {
            #expect(b?.observed == ((kg - 80) * 1000).rounded() / 1000)
            #expect(b?.limit == (expected == .red ? 3 : 2))
        }
    }

    @Test func weightGainIgnoresReadingsMeasuredLaterThanTheNewOne() {
        // A late-arriving reading measured on day 1 is judged only against what was measured before it.
        let history = [w(80, 0.5), w(78, 2)]
        #expect(RuleEvaluator.weightGain(81, measuredAt: day(1), rule: hf.weightGain, history: history) == nil)
        // Measured after it, the 78 kg reading is the lowest in the window.
        #expect(RuleEvaluator.weightGain(80.1, measuredAt: day(2.5), rule: hf.weightGain, history: history)?.observed == 2.1)
        #expect(
            RuleEvaluator.weightGain(80.0, measuredAt: day(3), rule: hf.weightGain, history: history + [w(77.9, 2.9)])?.severity == .yellow)
    }

    @Test func noWeightRuleOrNoHistoryMeansNoBreach() {
        #expect(
            RuleEvaluator.evaluate(.weight(kg: 95), measuredAt: day(1), thresholds: .defaults(for: .kols), weightHistory: [w(80, 0)])
                .isEmpty)
        #expect(RuleEvaluator.evaluate(.weight(kg: 95), measuredAt: day(1), thresholds: hf, weightHistory: []).isEmpty)
    }
}
