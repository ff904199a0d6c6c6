import Foundation

/// Where an alert is in its workflow.
public enum AlertState: String, Codable, Sendable, CaseIterable {
    case open, acknowledged, escalated, resolved
}

/// Why an alert was resolved: by a person, by the data (overdue satisfied), or withdrawn (its only reading voided).
public enum AlertResolution: String, Codable, Sendable, CaseIterable {
    case manual, autoResolved, withdrawn
}

/// An alert as it stands after the events so far.
public struct Alert: Codable, Equatable, Sendable, Identifiable {
    public var id: UUID
    public var rule: AlertRule
    public var measurement: MeasurementKind
    public var severity: Severity
    public var state: AlertState
    public var raisedAt: Date
    /// The worst value seen (lowest for the low rules, highest otherwise).
    public var worstValue: Double
    /// The limit crossed by the breach that set the current severity.
    public var limit: Double
    public var breachCount: Int
    /// Reading event ids that breached the rule, in arrival order (empty for overdue alerts).
    public var readings: [UUID]
    public var thresholdVersion: Int
    /// For overdue alerts: the instant the gap is counted from.
    public var overdueSince: Date?
    /// Teams whose feeds show the alert now.
    public var routedTo: [UUID]
    public var acknowledged: AlertStamp?
    public var escalated: AlertStamp?
    public var resolved: AlertStamp?
    public var resolution: AlertResolution?
    /// Every note given with a step, oldest first.
    public var notes: [AlertStamp]

    public init(
        id: UUID, rule: AlertRule, measurement: MeasurementKind, severity: Severity, raisedAt: Date, value: Double,
        limit: Double, reading: UUID?, thresholdVersion: Int, overdueSince: Date? = nil, routedTo: [UUID]
    ) {
        self.id = id
        self.rule = rule
        self.measurement = measurement
        self.severity = severity
        self.state = .open
        self.raisedAt = raisedAt
        self.worstValue = value
        self.limit = limit
        self.breachCount = 1
        self.readings = reading.map { [$0] } ?? []
        self.thresholdVersion = thresholdVersion
        self.overdueSince = overdueSince
        self.routedTo = routedTo
        self.notes = []
    }

    /// Open, acknowledged or escalated.
    public var isActive: Bool { state != .resolved }

    /// The worse of two values under this alert's rule.
    public func worse(_ a: Double, _ b: Double) -> Double {
        rule.lowerIsWorse ? min(a, b) : max(a, b)
    }
}

extension Alert {
    /// The order of feeds and alert lists: oldest raised first, then by id (upper-case uuid
    /// text, which orders as the uuid's bytes).
    public static func raisedOrder(_ a: Alert, _ b: Alert) -> Bool {
        (a.raisedAt, a.id.uuidString) < (b.raisedAt, b.id.uuidString)
    }
}

extension Sequence<Alert> {
    /// The alerts in `Alert.raisedOrder`.
    public func sortedByRaise() -> [Alert] { sorted(by: Alert.raisedOrder) }
}
