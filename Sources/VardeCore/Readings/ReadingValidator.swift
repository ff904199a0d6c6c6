import Foundation

/// Turns a submitted reading into a canonical `MeasurementValue`: checks which values
/// are present, converts units, rounds, and applies the plausibility limits.
public enum ReadingValidator {
    /// Validates `s` as received at `receivedAt`.
    ///
    /// - A `measuredAt` more than `maxFutureSkew` seconds after `receivedAt` is refused;
    ///   late or old readings are fine.
    /// - Limits are judged after conversion and rounding, and errors report the value in
    ///   canonical units.
    public static func validate(
        _ s: ReadingSubmission, receivedAt: Date, maxFutureSkew: TimeInterval
    ) throws(DomainError) -> MeasurementValue {
        if s.measuredAt.timeIntervalSince(receivedAt) > maxFutureSkew {
            throw .invalid(
                field: "/measuredAt",
                reason: "lies more than \(Int(maxFutureSkew)) s after the time the reading was received")
        }
        guard UnitConverter.acceptedUnits(for: s.kind).contains(s.unit) else {
            throw .unknownUnit(field: "/unit", unit: s.unit)
        }
        switch s.kind {
        case .bloodPressure: return try bloodPressure(s)
        case .spo2: return .spo2(percent: try single(s))
        case .weight: return .weight(kg: try single(s))
        case .pulse: return .pulse(perMinute: try single(s))
        case .temperature: return .temperature(celsius: try single(s))
        }
    }

    /// The one value of spo2, weight, pulse or temperature, checked against its range.
    private static func single(_ s: ReadingSubmission) throws(DomainError) -> Double {
        try absent(s.systolic, field: "/systolic", kind: s.kind)
        try absent(s.diastolic, field: "/diastolic", kind: s.kind)
        try absent(s.pulse, field: "/pulse", kind: s.kind)
        let value = try canonical(s.value, field: "/value", s)
        try PlausibilityRange.forValue(of: s.kind).check(value, field: "/value")
        return value
    }

    private static func bloodPressure(_ s: ReadingSubmission) throws(DomainError) -> MeasurementValue {
        try absent(s.value, field: "/value", kind: s.kind)
        let systolic = try canonical(s.systolic, field: "/systolic", s)
        let diastolic = try canonical(s.diastolic, field: "/diastolic", s)
        var pulse: Double?
        if let raw = s.pulse {
            let perMinute = try finite(raw, field: "/pulse")
            pulse = UnitConverter.rounded(perMinute, decimals: UnitConverter.decimals(for: .pulse))
        }
        try PlausibilityRange.systolic.check(systolic, field: "/systolic")
        try PlausibilityRange.diastolic.check(diastolic, field: "/diastolic")
        guard diastolic < systolic else {
            throw .implausible(field: "/diastolic", value: diastolic, limit: "< systolic \(systolic) mm[Hg]")
        }
        if let pulse { try PlausibilityRange.pulse.check(pulse, field: "/pulse") }
        return .bloodPressure(systolic: systolic, diastolic: diastolic, pulse: pulse)
    }

    /// The required value at `field`, finite, converted from `s.unit` to canonical units.
    private static func canonical(_ value: Double?, field: String, _ s: ReadingSubmission) throws(DomainError) -> Double {
        guard let value else { throw .invalid(field: field, reason: "is required for \(s.kind.rawValue)") }
        let raw = try finite(value, field: field)
        guard let converted = UnitConverter.toCanonical(raw, unit: s.unit, kind: s.kind) else {
            throw .unknownUnit(field: "/unit", unit: s.unit)
        }
        return converted
    }

    private static func finite(_ value: Double, field: String) throws(DomainError) -> Double {
        guard value.isFinite else { throw .invalid(field: field, reason: "must be a finite number") }
        return value
    }

    private static func absent(_ value: Double?, field: String, kind: MeasurementKind) throws(DomainError) {
        guard value == nil else { throw .invalid(field: field, reason: "is not used for \(kind.rawValue)") }
    }
}
