import Foundation
import VardeCore

/// What one page of events changes in the read models, gathered in memory and
/// then written with one statement per table.
struct ProjectionPage: Sendable {
    typealias Rows = ProjectionRows
    var patients: [UUID: Rows.Patient] = [:]
    var bindings: [Rows.Binding] = []
    /// Patients whose bindings changed, with the position of the last device event.
    var rebindPatients: [UUID: Int64] = [:]
    var readings: [UUID: Rows.Reading] = [:]
    var voided: [UUID: Int64] = [:]
    var alerts: [UUID: Rows.AlertRow] = [:]
    var feed: [Rows.Feed] = []
    var teams: [Rows.Team] = []
    var gateways: [UUID: Rows.Gateway] = [:]
    /// Teams assigned to gateways registered on an earlier page.
    var gatewayTeams: [UUID: (teams: [UUID], position: Int64)] = [:]
    var keys: [String: Rows.GatewayKey] = [:]
    var revoked: [String: (at: String, position: Int64)] = [:]
    private var lastPosition: [UUID: Int64] = [:]

    mutating func record(_ event: PatientEvent, patient: inout ProjectedPatient, id: UUID, position: Int64) {
        // The feed entries come from Core's `AlertFeed`, in its two steps: the routing
        // before, read for the events that need it, then the entries from the state the
        // event was applied to in place (copying the whole state or alert map on every
        // event would cost its size).
        let routedBefore = AlertFeed.routingBefore(patient.state, event)
        patient.apply(event)
        lastPosition[id] = position
        switch event {
        case .readingRecorded(let r):
            readings[r.readingId] = Rows.Reading(
                event_id: r.readingId, patient_id: id, kind: r.value.kind.rawValue,
                measured_at: r.measuredAt, received_at: r.receivedAt, value: r.value,
                device_serial: r.deviceSerial, gateway_id: r.gateway, gateway_reading_id: r.gatewayReadingId,
                voided: false, position: position, event_position: position)
        case .readingVoided(let v):
            if readings[v.readingId] != nil {
                readings[v.readingId]!.voided = true
                readings[v.readingId]!.position = position
            } else {
                voided[v.readingId] = position
            }
        case .deviceBound, .deviceUnbound:
            rebindPatients[id] = position
        default:
            break
        }
        var seq = feed.last.map { $0.position == position ? $0.seq + 1 : 0 } ?? 0
        for change in AlertFeed.changes(after: patient.state, event, routedBefore: routedBefore) {
            let alert = change.alert
            let item = Rows.FeedItem(alert, patientID: id, change: nil)
            for team in change.teams {
                feed.append(
                    Rows.Feed(
                        team_id: team, position: position, seq: seq, alert_id: alert.id, patient_id: id,
                        change: change.change.rawValue, item: item))
                seq += 1
            }
            alerts[alert.id] = Rows.AlertRow(
                id: alert.id, patient_id: id, rule: alert.rule.rawValue, severity: alert.severity.rawValue, state: alert.state.rawValue,
                teams: alert.routedTo, alert: item, position: position)
        }
    }

    mutating func record(_ event: AdminEvent, position: Int64) {
        switch event {
        case .teamCreated(let t):
            teams.append(
                Rows.Team(
                    id: t.teamId, name: t.name, kind: t.kind.rawValue, kommunenummer: t.kommunenummer,
                    health_trust: t.healthTrust, position: position))
        case .gatewayRegistered(let g):
            gateways[g.gatewayId] = Rows.Gateway(id: g.gatewayId, name: g.name, teams: [], position: position)
        case .gatewayTeamsAssigned(let g):
            if gateways[g.gatewayId] != nil {
                gateways[g.gatewayId]!.teams = g.teams
                gateways[g.gatewayId]!.position = position
            } else {
                gatewayTeams[g.gatewayId] = (g.teams, position)
            }
        case .gatewayKeyIssued(let k):
            keys[k.keyId] = Rows.GatewayKey(
                key_id: k.keyId, gateway_id: k.gatewayId, hash: k.hash,
                created_at: EventDate.format(k.at), revoked_at: nil, position: position)
        case .gatewayKeyRevoked(let k):
            if keys[k.keyId] != nil {
                keys[k.keyId]!.revoked_at = EventDate.format(k.at)
                keys[k.keyId]!.position = position
            } else {
                revoked[k.keyId] = (EventDate.format(k.at), position)
            }
        }
    }

    /// Adds the patient's row (and bindings, when they changed) after the page.
    mutating func finish(_ patient: ProjectedPatient, id: UUID) {
        let s = patient.state
        guard s.isEnrolled, let enrolledAt = s.enrolledAt, let position = lastPosition[id] else { return }
        let devices = s.devices.map {
            Rows.Device(serial: $0.serial, kind: $0.kind, from: EventDate.format($0.from), to: $0.to.map(EventDate.format))
        }
        patients[id] = Rows.Patient(
            id: id, national_id: patient.nationalID ?? "", kommunenummer: s.kommunenummer ?? "",
            program: s.program?.rawValue ?? "generell", kommune_team: s.teams.kommune, sykehus_team: s.teams.sykehus,
            routing: s.routing.rawValue, status: patient.status, enrolled_at: EventDate.format(enrolledAt),
            discharged_at: s.dischargedAt.map(EventDate.format), threshold_version: s.thresholdVersion,
            thresholds: patient.thresholds, latest: Dictionary(uniqueKeysWithValues: patient.latest.map { ($0.key.rawValue, $0.value) }),
            devices: devices, version: s.version, position: position, identifiers: s.identifiers)
        if let devicePosition = rebindPatients[id] {
            bindings += s.devices.map {
                Rows.Binding(
                    serial: $0.serial, bound_at: EventDate.format($0.from), patient_id: id, kind: $0.kind,
                    unbound_at: $0.to.map(EventDate.format), position: devicePosition, identifiers: $0.identifiers ?? [])
            }
        }
    }
}
