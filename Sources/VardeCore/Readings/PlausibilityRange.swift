/// An inclusive range of values a human body can plausibly show, in canonical units.
/// Readings outside it are refused as `DomainError.implausible`.
public struct PlausibilityRange: Equatable, Sendable {
    public let lower: Double
    public let upper: Double
    /// Human-readable limit, e.g. `40–300 mm[Hg]`.
    public let label: String

    public init(_ lower: Double, _ upper: Double, label: String) {
        self.lower = lower
        self.upper = upper
        self.label = label
    }

    public static let systolic = PlausibilityRange(40, 300, label: "40–300 mm[Hg]")
    public static let diastolic = PlausibilityRange(20, 200, label: "20–200 mm[Hg]")
    public static let spo2 = PlausibilityRange(50, 100, label: "50–100 %")
    public static let weight = PlausibilityRange(1, 400, label: "1–400 kg")
    public static let pulse = PlausibilityRange(20, 250, label: "20–250 /min")
    public static let temperature = PlausibilityRange(30, 45, label: "30.0–45.0 Cel")

    /// The range for the single value of `kind`; blood pressure uses
    /// `systolic`, `diastolic` and `pulse` instead.
    public static func forValue(of kind: MeasurementKind) -> PlausibilityRange {
        switch kind {
        case .bloodPressure: systolic
        case .spo2: spo2
        case .weight: weight
        case .pulse: pulse
        case .temperature: temperature
        }
    }

    public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }

    /// Throws `.implausible(field:value:limit:)` when `value` lies outside the range.
    public func check(_ value: Double, field: String) throws(DomainError) {
        guard contains(value) else { throw .implausible(field: field, value: value, limit: label) }
    }
}
