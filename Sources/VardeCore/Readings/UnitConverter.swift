/// Converts the UCUM units Varde accepts to its canonical units (mm[Hg], %, kg, /min, Cel)
/// and rounds to a fixed number of decimals per unit so stored JSON stays clean.
public enum UnitConverter {
    /// The unit every value of `kind` is stored in.
    public static func canonicalUnit(for kind: MeasurementKind) -> String {
        switch kind {
        case .bloodPressure: "mm[Hg]"
        case .spo2: "%"
        case .weight: "kg"
        case .pulse: "/min"
        case .temperature: "Cel"
        }
    }

    /// The UCUM codes accepted for `kind`, canonical first. Codes are case-sensitive.
    public static func acceptedUnits(for kind: MeasurementKind) -> [String] {
        switch kind {
        case .bloodPressure: ["mm[Hg]", "kPa"]
        case .spo2: ["%"]
        case .weight: ["kg", "g", "[lb_av]"]
        case .pulse: ["/min"]
        case .temperature: ["Cel", "[degF]"]
        }
    }

    /// Decimals kept in canonical units: mm[Hg], % and /min 1; kg 3; Cel 2.
    public static func decimals(for kind: MeasurementKind) -> Int {
        switch kind {
        case .bloodPressure, .spo2, .pulse: 1
        case .weight: 3
        case .temperature: 2
        }
    }

    /// `value` in `unit` converted to the canonical unit of `kind` and rounded,
    /// or `nil` when `unit` is not accepted for `kind`.
    public static func toCanonical(_ value: Double, unit: String, kind: MeasurementKind) -> Double? {
        let converted: Double
        switch (kind, unit) {
        case (.bloodPressure, "mm[Hg]"), (.spo2, "%"), (.weight, "kg"), (.pulse, "/min"), (.temperature, "Cel"):
            converted = value
        case (.bloodPressure, "kPa"): converted = value * 7.50062
        case (.weight, "g"): converted = value / 1000
        case (.weight, "[lb_av]"): converted = value * 0.45359237
        case (.temperature, "[degF]"): converted = (value - 32) * 5 / 9
        default: return nil
        }
        return rounded(converted, decimals: decimals(for: kind))
    }

    /// Rounds half away from zero to `decimals` places.
    public static func rounded(_ value: Double, decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
