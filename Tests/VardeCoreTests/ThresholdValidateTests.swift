import Foundation
import Testing

@testable import VardeCore

@Suite struct ThresholdValidateTests {
    typealias B = ThresholdSet.Bound

    static let invalid: [(String, ThresholdSet)] = [
        ("/spo2Low/red", ThresholdSet(spo2Low: B(yellow: 90, red: 92))),
        ("/systolicHigh/red", ThresholdSet(systolicHigh: B(yellow: 180, red: 170))),
        ("/pulseLow/yellow", ThresholdSet(pulseLow: B(yellow: .nan, red: 40))),
        ("/temperatureLow", ThresholdSet(temperatureLow: B())),
        ("/pulseHigh/yellow", ThresholdSet(pulseLow: B(yellow: 60, red: 40), pulseHigh: B(yellow: 55, red: 131))),
        ("/weightGain/windowDays", ThresholdSet(weightGain: .init(yellowKg: 2, redKg: 3, windowDays: -1))),
        ("/weightGain/windowDays", ThresholdSet(weightGain: .init(yellowKg: 2, redKg: 3, windowDays: 0))),
        ("/weightGain/redKg", ThresholdSet(weightGain: .init(yellowKg: 3, redKg: 2, windowDays: 3))),
        ("/weightGain/yellowKg", ThresholdSet(weightGain: .init(yellowKg: -1, windowDays: 3))),
        ("/expected/0/intervalHours", ThresholdSet(expected: [.init(kind: .spo2, intervalHours: 0)])),
        ("/expected/1/graceHours", ThresholdSet(expected: [.init(kind: .spo2), .init(kind: .pulse, graceHours: -1)])),
        ("/expected/1/kind", ThresholdSet(expected: [.init(kind: .spo2), .init(kind: .spo2)])),
    ]

    @Test(arguments: invalid)
    func refusesNonsenseWithPointer(field: String, set: ThresholdSet) {
        let error = domainError { () throws(DomainError) in try set.validate() }
        #expect(error?.field == field)
    }

    @Test func acceptsEqualLevelsAndSingleLevels() throws {
        try ThresholdSet(spo2Low: B(yellow: 90, red: 90), pulseHigh: B(red: 140), weightGain: .init(redKg: 3, windowDays: 7)).validate()
    }

    @Test func individualThresholdsChangeTheOutcome() {
        var set = ThresholdSet.defaults(for: .kols)
        set.spo2Low = B(yellow: 87, red: 83)
        #expect(RuleEvaluator.evaluate(.spo2(percent: 88), measuredAt: Fx.t0, thresholds: set, weightHistory: []).isEmpty)
        #expect(RuleEvaluator.evaluate(.spo2(percent: 83), measuredAt: Fx.t0, thresholds: set, weightHistory: []).first?.severity == .red)
    }

    @Test func codableRoundTripKeepsAbsentBounds() throws {
        let set = ThresholdSet.defaults(for: .hypertensjon)
        let data = try JSONEncoder().encode(set)
        #expect(try JSONDecoder().decode(ThresholdSet.self, from: data) == set)
        let partial = try JSONDecoder().decode(ThresholdSet.self, from: Data(#"{"spo2Low":{"red":88},"expected":[]}"#.utf8))
        #expect(partial.spo2Low == B(red: 88))
        #expect(partial.systolicHigh == nil)
    }
}
