import Foundation
import VardeCore

/// The alert rules as the domain primer states them, written out again here
/// (not `RuleEvaluator`), so that the simulation checks the server against
/// the text rather than against itself: bounds are inclusive, red wins over
/// yellow; weight gain compares the new weight with the lowest weight measured
/// in the preceding window; a blood-pressure cuff's pulse is judged as pulse.
public enum SpecRules {
    public struct Breach: Equatable, Sendable, Hashable {
        public var rule: AlertRule
        public var severity: Severity
    }

    /// Earlier non-void weights: measured time and kg.
    public typealias WeightHistory = [(measuredAt: Date, kg: Double)]

    public static func breaches(_ value: MeasurementValue, measuredAt: Date, _ t: ThresholdSet, weights: WeightHistory) -> [Breach] {
        var out: [Breach?] = []
        switch value {
        case .spo2(let v):
            out.append(low(v, t.spo2Low, .spo2Low))
        case .pulse(let v):
            out += [low(v, t.pulseLow, .pulseLow), high(v, t.pulseHigh, .pulseHigh)]
        case .bloodPressure(let s, let d, let p):
            out += [low(s, t.systolicLow, .systolicLow), high(s, t.systolicHigh, .systolicHigh), high(d, t.diastolicHigh, .diastolicHigh)]
            if let p { out += [low(p, t.pulseLow, .pulseLow), high(p, t.pulseHigh, .pulseHigh)] }
        case .temperature(let c):
            out += [low(c, t.temperatureLow, .temperatureLow), high(c, t.temperatureHigh, .temperatureHigh)]
        case .weight(let kg):
            out.append(gain(kg, measuredAt, t.weightGain, weights))
        }
        return out.compactMap { $0 }
    }

    static func low(_ v: Double, _ b: ThresholdSet.Bound?, _ rule: AlertRule) -> Breach? {
        if let r = b?.red, v <= r { return Breach(rule: rule, severity: .red) }
        if let y = b?.yellow, v <= y { return Breach(rule: rule, severity: .yellow) }
        return nil
    }

    static func high(_ v: Double, _ b: ThresholdSet.Bound?, _ rule: AlertRule) -> Breach? {
        if let r = b?.red, v >= r { return Breach(rule: rule, severity: .red) }
        if let y = b?.yellow, v >= y { return Breach(rule: rule, severity: .yellow) }
        return nil
    }

    /// In grams, so that 81.9 − 79.9 is 2000 g and not 1999.999… g.
    static func gain(_ kg: Double, _ at: Date, _ rule: ThresholdSet.WeightGain?, _ history: WeightHistory) -> Breach? {
        guard let rule else { return nil }
        let from = at.addingTimeInterval(-rule.windowDays * 86_400)
        guard let lowest = history.filter({ $0.measuredAt >= from && $0.measuredAt < at }).map(\.kg).min() else { return nil }
        let grams = Int((kg * 1000).rounded()) - Int((lowest * 1000).rounded())
        if let r = rule.redKg, grams >= Int((r * 1000).rounded()) { return Breach(rule: .weightGain, severity: .red) }
        if let y = rule.yellowKg, grams >= Int((y * 1000).rounded()) { return Breach(rule: .weightGain, severity: .yellow) }
        return nil
    }
}
