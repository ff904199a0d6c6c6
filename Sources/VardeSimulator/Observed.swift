import Foundation
import VardeCore

/// An alert as the run saw it: from the patient's history (the auditor's
/// export) and the team feeds the simulated nurses followed.
public struct ObservedAlert: Sendable, Equatable {
    public var id: UUID
    public var patient: Int
    public var rule: AlertRule
    public var raisedAt: Date
    /// The severity it was raised with, and the highest it reached.
    public var raisedSeverity: Severity
    public var severity: Severity
    /// Readings of the run that raised or updated it, in order.
    public var readings: [Int]
    public var overdueSince: Date?
    /// Teams (by index) whose feed showed it.
    public var teamsSeen: Set<Int>

    public init(
        id: UUID, patient: Int, rule: AlertRule, raisedAt: Date, raisedSeverity: Severity, severity: Severity, readings: [Int],
        overdueSince: Date?, teamsSeen: Set<Int>
    ) {
        self.id = id
        self.patient = patient
        self.rule = rule
        self.raisedAt = raisedAt
        self.raisedSeverity = raisedSeverity
        self.severity = severity
        self.readings = readings
        self.overdueSince = overdueSince
        self.teamsSeen = teamsSeen
    }
}

/// What one arm of a run produced.
public struct ArmOutcome: Sendable {
    public var arm: Arm
    public var alerts: [ObservedAlert]
    /// Readings the server answered `created`, by run index.
    public var created: Set<Int>
    /// Answers other than created or duplicate, by reason.
    public var refused: [String: Int]
    public var duplicates: Int

    public init(arm: Arm, alerts: [ObservedAlert], created: Set<Int>, refused: [String: Int], duplicates: Int) {
        self.arm = arm
        self.alerts = alerts
        self.created = created
        self.refused = refused
        self.duplicates = duplicates
    }
}
