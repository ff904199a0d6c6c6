import Foundation

/// A patient's teams: one kommune team and optionally one sykehus team.
public struct PatientTeams: Codable, Equatable, Sendable, Hashable {
    public var kommune: UUID?
    public var sykehus: UUID?

    public init(kommune: UUID? = nil, sykehus: UUID? = nil) {
        self.kommune = kommune
        self.sykehus = sykehus
    }
}

/// A patient-level override of the default routing.
public enum RoutingOption: String, Codable, Sendable, CaseIterable {
    /// Yellow → kommune; red → kommune + sykehus.
    case standard
    /// Yellow also goes to the sykehus team (e.g. a patient followed closely by the clinic).
    case yellowAlsoToSykehus
    /// Red stays with the kommune team until someone escalates it.
    case redOnlyKommune
}

/// Which teams' feeds show an alert. An alert once escalated keeps the sykehus team, even after it is acknowledged.
public enum AlertRouting {
    public static func teams(severity: Severity, escalated: Bool, teams: PatientTeams, option: RoutingOption = .standard) -> [UUID] {
        let toSykehus =
            switch (severity, option) {
            case (.yellow, .yellowAlsoToSykehus), (.red, .standard), (.red, .yellowAlsoToSykehus): true
            default: false
            }
        var out = teams.kommune.map { [$0] } ?? []
        if toSykehus || escalated, let s = teams.sykehus, !out.contains(s) { out.append(s) }
        return out
    }

    /// The teams for `alert` under `teams` and `option`.
    public static func teams(for alert: Alert, teams: PatientTeams, option: RoutingOption) -> [UUID] {
        self.teams(severity: alert.severity, escalated: alert.escalated != nil, teams: teams, option: option)
    }
}
