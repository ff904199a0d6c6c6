import Foundation

/// Pure threshold rules: what a reading breaches under a threshold set.
public enum RuleEvaluator {
    /// The breaches of `value`, measured at `measuredAt`, under `thresholds`, at most one per rule
    /// (red wins). `weightHistory` holds the patient's other non-void weights; the new reading
    /// must not be in it.
    public static func evaluate(
        _ value: MeasurementValue, measuredAt: Date, thresholds t: ThresholdSet, weightHistory: [WeightSample]
    ) -> [Breach] {
        switch value {
        case .spo2(let p):
            return [judge(p, .spo2Low, t, .spo2)].compactMap { $0 }
        case .bloodPressure(let sys, let dia, let pulse):
            var out = [
                judge(sys, .systolicLow, t, .bloodPressure), judge(sys, .systolicHigh, t, .bloodPressure),
                judge(dia, .diastolicHigh, t, .bloodPressure),
            ]
            if let pulse { out += pulseBreaches(pulse, t) }
            return out.compactMap { $0 }
        case .pulse(let p):
            return pulseBreaches(p, t).compactMap { $0 }
        case .temperature(let c):
            return [judge(c, .temperatureLow, t, .temperature), judge(c, .temperatureHigh, t, .temperature)].compactMap { $0 }
        case .weight(let kg):
            return [weightGain(kg, measuredAt: measuredAt, rule: t.weightGain, history: weightHistory)].compactMap { $0 }
        }
    }

    /// The weight-gain breach, if any: the new weight against the lowest weight measured in
    /// `[measuredAt − window, measuredAt)`, in measured-time order regardless of arrival order.
    public static func weightGain(_ kg: Double, measuredAt: Date, rule: ThresholdSet.WeightGain?, history: [WeightSample]) -> Breach? {
        guard let rule, let lowest = weightBaseline(before: measuredAt, windowDays: rule.windowDays, history: history)?.kg else {
            return nil
        }
        let gain = ((kg - lowest) * 1000).rounded() / 1000  // avoid 81.9 − 79.9 = 1.99999…
        if let red = rule.redKg, gain >= red {
            return Breach(rule: .weightGain, severity: .red, measurement: .weight, observed: gain, limit: red)
        }
        if let yellow = rule.yellowKg, gain >= yellow {
            return Breach(rule: .weightGain, severity: .yellow, measurement: .weight, observed: gain, limit: yellow)
        }
        return nil
    }

    /// The weight a gain measured at `measuredAt` is measured against: the lowest
    /// in `[measuredAt − windowDays, measuredAt)` (the first such, on a tie).
    public static func weightBaseline(before measuredAt: Date, windowDays: Double, history: [WeightSample]) -> WeightSample? {
        let from = measuredAt.addingTimeInterval(-windowDays * 86_400)
        return history.lazy.filter { $0.measuredAt >= from && $0.measuredAt < measuredAt }.min { $0.kg < $1.kg }
    }

    private static func pulseBreaches(_ p: Double, _ t: ThresholdSet) -> [Breach?] {
        [judge(p, .pulseLow, t, .pulse), judge(p, .pulseHigh, t, .pulse)]
    }

    /// `v` under a bound rule (`.low`: at or below the limit breaches; `.high`: at or above).
    private static func judge(_ v: Double, _ rule: AlertRule, _ t: ThresholdSet, _ kind: MeasurementKind) -> Breach? {
        let b = t.bound(for: rule), low = rule.lowerIsWorse
        func breaches(_ limit: Double) -> Bool { low ? v <= limit : v >= limit }
        if let r = b?.red, breaches(r) { return Breach(rule: rule, severity: .red, measurement: kind, observed: v, limit: r) }
        if let y = b?.yellow, breaches(y) { return Breach(rule: rule, severity: .yellow, measurement: kind, observed: v, limit: y) }
        return nil
    }
}
