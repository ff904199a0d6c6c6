import Foundation

/// One rule a reading broke: which rule, how badly, the value judged and the limit crossed.
public struct Breach: Equatable, Sendable {
    public var rule: AlertRule
    public var severity: Severity
    /// The measurement the rule judges (`pulse` for a blood-pressure cuff's pulse).
    public var measurement: MeasurementKind
    /// The value judged; for `weight.gain` the gain in kg, for overdue rules the hours without a reading.
    public var observed: Double
    /// The limit crossed at `severity`.
    public var limit: Double

    public init(rule: AlertRule, severity: Severity, measurement: MeasurementKind, observed: Double, limit: Double) {
        self.rule = rule
        self.severity = severity
        self.measurement = measurement
        self.observed = observed
        self.limit = limit
    }
}

/// A non-void weight and when it was measured: the history the weight-gain rule looks at.
public struct WeightSample: Equatable, Sendable, Codable {
    public var readingID: UUID
    public var kg: Double
    public var measuredAt: Date

    public init(readingID: UUID, kg: Double, measuredAt: Date) {
        self.readingID = readingID
        self.kg = kg
        self.measuredAt = measuredAt
    }
}
