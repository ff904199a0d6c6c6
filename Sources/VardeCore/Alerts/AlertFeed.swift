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
///
/// In two steps, so a caller that folds the event in place (the projector) never copies the
/// state: `routingBefore` reads, from the state before the event, the routing of the alerts
/// the event may change; `changes(after:_:routedBefore:)` gives the entries from the state
/// after it. `changes(before:applying:)` is the two together.
public enum AlertFeed {
    /// The entries `event` produces when applied to `before`. Alert events give one entry;
    /// `TeamsAssigned` and `RoutingChanged` give an `updated` entry for each active alert whose
    /// routing changed, oldest raised first; other events give none.
    public static func changes(before: PatientState, applying event: PatientEvent) -> [AlertFeedChange] {
        let routed = routingBefore(before, event)
        return changes(after: before.evolving(event), event, routedBefore: routed)
    }

    /// The teams each alert `event` may change is routed to in `state`, the state before the
    /// event: the event's alert for an alert event (none if new), every active alert for
    /// `TeamsAssigned` and `RoutingChanged`, nothing otherwise.
    public static func routingBefore(_ state: PatientState, _ event: PatientEvent) -> [UUID: [UUID]] {
        switch event {
        case .teamsAssigned, .routingChanged:
            var routed: [UUID: [UUID]] = [:]
            for (id, alert) in state.alerts where alert.isActive { routed[id] = alert.routedTo }
            return routed
        default:
            guard let (id, _) = alertChange(event) else { return [:] }
            return [id: state.alerts[id]?.routedTo ?? []]
        }
    }

    /// The entries `event` produced, given `state` after it and `routedBefore` as
    /// `routingBefore` read it from the state before.
    public static func changes(after state: PatientState, _ event: PatientEvent, routedBefore: [UUID: [UUID]]) -> [AlertFeedChange] {
        func entry(_ a: Alert, _ change: AlertChange) -> AlertFeedChange {
            var teams = routedBefore[a.id] ?? []
            for t in a.routedTo where !teams.contains(t) { teams.append(t) }
            return AlertFeedChange(patientID: state.patientID, alert: a, change: change, teams: teams)
        }
        switch event {
        case .teamsAssigned, .routingChanged:
            return
                routedBefore
                .compactMap { id, routed in state.alerts[id].flatMap { $0.routedTo != routed ? $0 : nil } }
                .sorted(by: Alert.raisedOrder)
                .map { entry($0, .updated) }
        default:
            guard let (id, change) = alertChange(event), let a = state.alerts[id] else { return [] }
            return [entry(a, change)]
        }
    }

    /// The alert an alert event is about and what it does to it.
    private static func alertChange(_ event: PatientEvent) -> (UUID, AlertChange)? {
        switch event {
        case .alertRaised(let e): (e.alertId, .raised)
        case .alertUpdated(let e): (e.alertId, .updated)
        case .alertAcknowledged(let e): (e.alertId, .acknowledged)
        case .alertEscalated(let e): (e.alertId, .escalated)
        case .alertResolved(let e): (e.alertId, .resolved)
        default: nil
        }
    }
}
