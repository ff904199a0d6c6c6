import Foundation
import VardeCore

/// Individual thresholds from a patient's own baseline weeks, as COPD and
/// heart-failure telemonitoring studies recommend over fixed population
/// limits: the yellow limit moves to the patient's usual value plus a margin
/// of 2.5 standard deviations (at least a clinically meaningful step: 3 SpO2
/// points, 20 beats, 20 mmHg systolic, 12 diastolic), and the red limit
/// follows it but never becomes laxer than the programme's red limit. Kinds
/// with fewer than 7 baseline readings keep the programme's bounds, as do
/// temperature (measured only when unwell), weight gain and the measurement plan.
public enum Individualisation {
    public static let minimumReadings = 7

    public static func thresholds(program: Program, baseline values: [MeasurementValue]) -> ThresholdSet {
        let d = ThresholdSet.defaults(for: program)
        var t = d
        let spo2 = values.compactMap { if case .spo2(let v) = $0 { v } else { nil } }
        let pulse = values.compactMap { v -> Double? in
            switch v {
            case .pulse(let p): p
            case .bloodPressure(_, _, let p?): p
            default: nil
            }
        }
        let systolic = values.compactMap { if case .bloodPressure(let s, _, _) = $0 { s } else { nil } }
        let diastolic = values.compactMap { if case .bloodPressure(_, let dia, _) = $0 { dia } else { nil } }

        if let (m, s) = stats(spo2), let r = d.spo2Low?.red, let y = d.spo2Low?.yellow {
            let yellow = clamp((m - max(3, 2.5 * s)).rounded(), r + 1, max(y, 94))
            t.spo2Low = .init(yellow: yellow, red: max(r, yellow - 4))
        }
        if let (m, s) = stats(pulse) {
            if let r = d.pulseHigh?.red, let y = d.pulseHigh?.yellow {
                let yellow = clamp((m + max(20, 2.5 * s)).rounded(), y - 15, r - 1)
                t.pulseHigh = .init(yellow: yellow, red: min(r, yellow + 20))
            }
            if let r = d.pulseLow?.red, let y = d.pulseLow?.yellow {
                t.pulseLow = .init(yellow: clamp((m - max(15, 2.5 * s)).rounded(), r + 1, y + 10), red: r)
            }
        }
        if let (m, s) = stats(systolic) {
            if let r = d.systolicHigh?.red, let y = d.systolicHigh?.yellow {
                let yellow = clamp((m + max(20, 2.5 * s)).rounded(), y - 30, r - 5)
                t.systolicHigh = .init(yellow: yellow, red: min(r, yellow + 25))
            }
            if let r = d.systolicLow?.red, let y = d.systolicLow?.yellow {
                t.systolicLow = .init(yellow: clamp((m - max(20, 2.5 * s)).rounded(), r + 1, y + 15), red: r)
            }
        }
        if let (m, s) = stats(diastolic), let r = d.diastolicHigh?.red, let y = d.diastolicHigh?.yellow {
            let yellow = clamp((m + max(12, 2.5 * s)).rounded(), y - 15, r - 3)
            t.diastolicHigh = .init(yellow: yellow, red: min(r, yellow + 10))
        }
        return t
    }

    /// Mean and standard deviation (at least 0.7, so a very steady patient still gets a margin).
    static func stats(_ v: [Double]) -> (Double, Double)? {
        guard v.count >= minimumReadings else { return nil }
        let m = v.reduce(0, +) / Double(v.count)
        let variance = v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)
        return (m, max(0.7, variance.squareRoot()))
    }

    static func clamp(_ v: Double, _ lo: Double, _ hi: Double) -> Double { min(max(v, lo), hi) }
}
