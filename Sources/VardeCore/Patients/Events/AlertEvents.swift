import Foundation

/// A rule was breached and no active alert of that rule existed.
public struct AlertRaised: PatientEventBody {
    public static let type = "AlertRaised"
    public var alertId: UUID
    public var rule: AlertRule
    public var measurement: MeasurementKind
    public var severity: Severity
    public var value: Double
    public var limit: Double
    /// The triggering reading; nil for overdue alerts.
    public var readingId: UUID?
    public var thresholdVersion: Int
    /// For overdue alerts: the instant the gap is counted from.
    public var overdueSince: Date?
    public var routedTo: [UUID]
    public var at: Date

    public init(
        alertId: UUID, rule: AlertRule, measurement: MeasurementKind, severity: Severity, value: Double, limit: Double, readingId: UUID?,
        thresholdVersion: Int, overdueSince: Date? = nil, routedTo: [UUID], at: Date
    ) {
        self.alertId = alertId
        self.rule = rule
        self.measurement = measurement
        self.severity = severity
        self.value = value
        self.limit = limit
        self.readingId = readingId
        self.thresholdVersion = thresholdVersion
        self.overdueSince = overdueSince
        self.routedTo = routedTo
        self.at = at
    }
}

/// A further breach of an active alert's rule: the alert as it now stands.
public struct AlertUpdated: PatientEventBody {
    public static let type = "AlertUpdated"
    public var alertId: UUID
    public var readingId: UUID
    public var value: Double
    public var worstValue: Double
    public var breachCount: Int
    public var severity: Severity
    public var limit: Double
    public var thresholdVersion: Int
    public var at: Date

    public init(
        alertId: UUID, readingId: UUID, value: Double, worstValue: Double, breachCount: Int, severity: Severity, limit: Double,
        thresholdVersion: Int, at: Date
    ) {
        self.alertId = alertId
        self.readingId = readingId
        self.value = value
        self.worstValue = worstValue
        self.breachCount = breachCount
        self.severity = severity
        self.limit = limit
        self.thresholdVersion = thresholdVersion
        self.at = at
    }
}

/// Someone took the alert on.
public struct AlertAcknowledged: PatientEventBody {
    public static let type = "AlertAcknowledged"
    public var alertId: UUID
    public var by: ActorRef
    public var at: Date
    public var note: String?

    public init(alertId: UUID, by: ActorRef, at: Date, note: String? = nil) {
        self.alertId = alertId
        self.by = by
        self.at = at
        self.note = note
    }
}

/// The alert was escalated to the sykehus team.
public struct AlertEscalated: PatientEventBody {
    public static let type = "AlertEscalated"
    public var alertId: UUID
    public var by: ActorRef
    public var at: Date
    public var note: String?

    public init(alertId: UUID, by: ActorRef, at: Date, note: String? = nil) {
        self.alertId = alertId
        self.by = by
        self.at = at
        self.note = note
    }
}

/// The alert was closed: by a person (`manual`), by a reading (`autoResolved`) or by voiding its only reading (`withdrawn`).
public struct AlertResolved: PatientEventBody {
    public static let type = "AlertResolved"
    public var alertId: UUID
    public var resolution: AlertResolution
    public var by: ActorRef
    public var at: Date
    public var note: String?

    public init(alertId: UUID, resolution: AlertResolution, by: ActorRef, at: Date, note: String? = nil) {
        self.alertId = alertId
        self.resolution = resolution
        self.by = by
        self.at = at
        self.note = note
    }
}
