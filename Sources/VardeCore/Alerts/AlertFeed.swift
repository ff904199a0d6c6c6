import Foundation

/// What happened to an alert, as a team feed shows it.
public enum AlertChange: String, Codable, Sendable, CaseIterable {
    case raised, updated, acknowledged, escalated, resolved
}

/// One feed entry: the alert as it stood after the change, and the teams whose feeds get the entry.
public struct AlertFeedChange: Equatable, Sendable {
    public var patientID: UUID?
    public var alert: Alert
    public var change: AlertChange
    /// The teams routed to before the change and after it (a team the alert left sees it leave;
    /// compare with `alert.routedTo` to tell whether it is still theirs).
    public var teams: [UUID]
}

/// Feed entries for one patient event.
public enum AlertFeed {
    /// The entries `event` produces when applied to `before`. Alert events give one entry;
    /// `TeamsAssigned` and `RoutingChanged` give an `updated` entry for each active alert whose
    /// routing changed; other events give none.
    public static func changes(before: PatientState, applying event: PatientEvent) -> [AlertFeedChange] {
        let after = before.evolving(event)
        func entry(_ id: UUID, _ change: AlertChange) -> AlertFeedChange? {
            guard let a = after.alerts[id] else { return nil }
            var teams = before.alerts[id]?.routedTo ?? []
            for t in a.routedTo where !teams.contains(t) { teams.append(t) }
            return AlertFeedChange(patientID: after.patientID, alert: a, change: change, teams: teams)
        }
        switch event {
        case .alertRaised(let e): return [entry(e.alertId, .raised)].compactMap { $0 }
        case .alertUpdated(let e): return [entry(e.alertId, .updated)].compactMap { $0 }
        case .alertAcknowledged(let e): return [entry(e.alertId, .acknowledged)].compactMap { $0 }
        case .alertEscalated(let e): return [entry(e.alertId, .escalated)].compactMap { $0 }
        case .alertResolved(let e): return [entry(e.alertId, .resolved)].compactMap { $0 }
        case .teamsAssigned, .routingChanged:
            return before.alerts.values
                .filter { $0.isActive && after.alerts[$0.id]?.routedTo != $0.routedTo }
                .sorted { ($0.raisedAt, $0.id.uuidString) < ($1.raisedAt, $1.id.uuidString) }
                .compactMap { entry($0.id, .updated) }
        default: return []
        }
    }
}
