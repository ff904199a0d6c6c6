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
            return [low(p, t.spo2Low, "spo2.low", .spo2)].compactMap { $0 }
        case .bloodPressure(let sys, let dia, let pulse):
            var out = [low(sys, t.systolicLow, "systolic.low", .bloodPressure), high(sys, t.systolicHigh, "systolic.high", .bloodPressure),
                       high(dia, t.diastolicHigh, "diastolic.high", .bloodPressure)]
            if let pulse { out += pulseBreaches(pulse, t) }
            return out.compactMap { $0 }
        case .pulse(let p):
            return pulseBreaches(p, t).compactMap { $0 }
        case .temperature(let c):
            return [low(c, t.temperatureLow, "temperature.low", .temperature), high(c, t.temperatureHigh, "temperature.high", .temperature)].compactMap { $0 }
        case .weight(let kg):
            return [weightGain(kg, measuredAt: measuredAt, rule: t.weightGain, history: weightHistory)].compactMap { $0 }
        }
    }

    /// The weight-gain breach, if any: the new weight against the lowest weight measured in
    /// `[measuredAt − window, measuredAt)`, in measured-time order regardless of arrival order.
    public static func weightGain(_ kg: Double, measuredAt: Date, rule: ThresholdSet.WeightGain?, history: [WeightSample]) -> Breach? {
        guard let rule, let lowest = weightBaseline(before: measuredAt, windowDays: rule.windowDays, history: history)?.kg else { return nil }
        let gain = ((kg - lowest) * 1000).rounded() / 1000  // avoid 81.9 − 79.9 = 1.99999…
        if let red = rule.redKg, gain >= red { return Breach(rule: "weight.gain", severity: .red, measurement: .weight, observed: gain, limit: red) }
        if let yellow = rule.yellowKg, gain >= yellow { return Breach(rule: "weight.gain", severity: .yellow, measurement: .weight, observed: gain, limit: yellow) }
        return nil
    }

    /// The weight a gain measured at `measuredAt` is measured against: the lowest
    /// in `[measuredAt − windowDays, measuredAt)` (the first such, on a tie).
    public static func weightBaseline(before measuredAt: Date, windowDays: Double, history: [WeightSample]) -> WeightSample? {
        let from = measuredAt.addingTimeInterval(-windowDays * 86_400)
        return history.lazy.filter { $0.measuredAt >= from && $0.measuredAt < measuredAt }.min { $0.kg < $1.kg }
    }

    private static func pulseBreaches(_ p: Double, _ t: ThresholdSet) -> [Breach?] {
        [low(p, t.pulseLow, "pulse.low", .pulse), high(p, t.pulseHigh, "pulse.high", .pulse)]
    }

    private static func low(_ v: Double, _ b: ThresholdSet.Bound?, _ rule: String, _ kind: MeasurementKind) -> Breach? {
        if let r = b?.red, v <= r { return Breach(rule: rule, severity: .red, measurement: kind, observed: v, limit: r) }
        if let y = b?.yellow, v <= y { return Breach(rule: rule, severity: .yellow, measurement: kind, observed: v, limit: y) }
        return nil
    }

    private static func high(_ v: Double, _ b: ThresholdSet.Bound?, _ rule: String, _ kind: MeasurementKind) -> Breach? {
        if let r = b?.red, v >= r { return Breach(rule: rule, severity: .red, measurement: kind, observed: v, limit: r) }
        if let y = b?.yellow, v >= y { return Breach(rule: rule, severity: .yellow, measurement: kind, observed: v, limit: y) }
        return nil
    }
}
