import Foundation

/// Where a patient stands on the follow-up team's worklist, worst first:
/// red (act now), yellow (signs of deterioration), overdue (a planned
/// measurement missing, nothing else wrong), green. An overdue alert is
/// yellow in the alert workflow, but on the worklist it ranks below a yellow
/// reading: a missing measurement is a call to remind, a bad one to assess.
public enum WorklistTriage: String, Sendable, CaseIterable, Codable {
    case red, yellow, overdue, green

    /// 0 for red … 3 for green: the worklist's order.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// From the patient's active alerts (rule and colour) and the kinds
    /// overdue now by the measurement plan (`OverdueRule`), which may be
    /// overdue before the next sweep has raised their alert.
    public static func of(activeAlerts: [(rule: AlertRule, severity: Severity)], overdueKinds: some Collection<MeasurementKind>)
        -> WorklistTriage
    {
        if activeAlerts.contains(where: { $0.severity == .red }) { return .red }
        if activeAlerts.contains(where: { $0.rule.direction != .overdue }) { return .yellow }
        if !overdueKinds.isEmpty || !activeAlerts.isEmpty { return .overdue }
        return .green
    }
}
