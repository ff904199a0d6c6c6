import Foundation

/// The patient aggregate's decisions: pure, from state and command to new events.
public enum Patient {
    /// Decides `command` against `state`. All instants written are normalized to milliseconds.
    ///
    /// Refusals: a never-enrolled patient is `notFound("patient")`; any change to a discharged
    /// patient except voiding a reading is `conflict`; a duplicate reading yields `[]`.
    public static func decide(state s: PatientState, command: PatientCommand, context: DecisionContext) throws(DomainError)
        -> [PatientEvent]
    {
        let now = EventDate.normalized(context.now)
        let by = context.actor
        if case .enroll(let id, let nid, let kommune, let program, let teams) = command {
            guard !s.isEnrolled else { throw .conflict("patient is already enrolled") }
            guard kommune.count == 4, kommune.allSatisfy(\.isASCII), kommune.allSatisfy(\.isNumber) else {
                throw .invalid(field: "/kommunenummer", reason: "must be 4 digits")
            }
            var out: [PatientEvent] = [
                .patientEnrolled(
                    PatientEnrolled(
                        patientId: id, nationalId: nid.value, nationalIdKind: nid.kind, kommunenummer: kommune, program: program,
                        enrolledAt: now)),
                .thresholdsChanged(
                    ThresholdsChanged(version: 1, thresholds: .defaults(for: program), reason: "program defaults", by: by, at: now)),
            ]
            if let k = teams?.kommune { out.append(.teamsAssigned(TeamsAssigned(kommuneTeam: k, sykehusTeam: teams?.sykehus, at: now))) }
            return out
        }
        guard s.isEnrolled else { throw .notFound("patient") }
        if case .checkOverdue = command { return s.isDischarged ? [] : overdue(s, now: now) }
        if s.isDischarged {
            if case .voidReading = command {} else { throw .conflict("patient is discharged") }
        }
        switch command {
        case .enroll, .checkOverdue:
            return []
        case .assignTeams(let kommune, let sykehus):
            guard PatientTeams(kommune: kommune, sykehus: sykehus) != s.teams else { return [] }
            return [.teamsAssigned(TeamsAssigned(kommuneTeam: kommune, sykehusTeam: sykehus, at: now))]
        case .changeRouting(let option):
            return option == s.routing ? [] : [.routingChanged(RoutingChanged(option: option, by: by, at: now))]
        case .bindDevice(let serial, let kind, let identifiers):
            guard !s.boundDevices.contains(where: { $0.serial == serial }) else {
                throw .conflict("device is already bound to this patient")
            }
            if identifiers.contains(where: { id in s.boundDevices.contains { $0.isNamed(id) } }) {
                throw .conflict("a device with this identifier is already bound to this patient")
            }
            return [
                .deviceBound(DeviceBound(serial: serial, kind: kind, at: now, identifiers: identifiers.isEmpty ? nil : identifiers))
            ]
        case .describeDevice(let serial, let description):
            // Described through a binding the reading is filed under, which may have ended since.
            guard let binding = s.devices.last(where: { $0.serial == serial }) else { throw .notFound("device") }
            return binding.description == description
                ? [] : [.deviceDescribed(DeviceDescribed(serial: serial, description: description, at: now))]
        case .setIdentifiers(let identifiers):
            let sorted = Array(Set(identifiers)).sorted()
            return sorted == s.identifiers
                ? [] : [.patientIdentifiersChanged(PatientIdentifiersChanged(identifiers: sorted, by: by, at: now))]
        case .unbindDevice(let serial):
            guard let d = s.boundDevices.first(where: { $0.serial == serial }) else { throw .notFound("device") }
            return [.deviceUnbound(DeviceUnbound(serial: serial, kind: d.kind, at: now))]
        case .recordReading(let r):
            return try record(s, r, now: now)
        case .voidReading(let id, let reason, let recorded):
            return try void(s, id, reason: reason, recorded: recorded, by: by, now: now)
        case .changeThresholds(let set, let reason):
            try set.validate()
            guard set != s.thresholds else { return [] }
            return [
                .thresholdsChanged(ThresholdsChanged(version: s.thresholdVersion + 1, thresholds: set, reason: reason, by: by, at: now))
            ]
        case .acknowledgeAlert(let id, let note):
            try alert(s, id).checkAcknowledge()
            return [.alertAcknowledged(AlertAcknowledged(alertId: id, by: by, at: now, note: note))]
        case .escalateAlert(let id, let note):
            try alert(s, id).checkEscalate()
            guard s.teams.sykehus != nil else { throw .conflict("patient has no sykehus team to escalate to") }
            return [.alertEscalated(AlertEscalated(alertId: id, by: by, at: now, note: note))]
        case .resolveAlert(let id, let note):
            try alert(s, id).checkResolve()
            return [.alertResolved(AlertResolved(alertId: id, resolution: .manual, by: by, at: now, note: note))]
        case .discharge(let reason):
            let resolves = s.alerts.values.filter(\.isActive).sortedByRaise()
                .map {
                    PatientEvent.alertResolved(
                        AlertResolved(alertId: $0.id, resolution: .manual, by: by, at: now, note: "patient discharged"))
                }
            let unbinds = s.boundDevices.map { PatientEvent.deviceUnbound(DeviceUnbound(serial: $0.serial, kind: $0.kind, at: now)) }
            return resolves + unbinds + [.patientDischarged(PatientDischarged(at: now, reason: reason, by: by))]
        }
    }

    private static func alert(_ s: PatientState, _ id: UUID) throws(DomainError) -> Alert {
        guard let a = s.alerts[id] else { throw .notFound("alert") }
        return a
    }
}
