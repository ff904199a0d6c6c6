import Foundation

/// The fold: applies a recorded fact. Never refuses; `decide` has already judged.
extension PatientState {
    public func evolving(_ event: PatientEvent) -> PatientState {
        var s = self
        s.apply(event)
        return s
    }

    /// Folds `events` onto `initial` (or onto `from`).
    public static func replay(_ events: some Sequence<PatientEvent>, from: PatientState = .initial) -> PatientState {
        events.reduce(into: from) { $0.apply($1) }
    }

    public mutating func apply(_ event: PatientEvent) {
        version += 1
        switch event {
        case .patientEnrolled(let e):
            (isEnrolled, patientID, nationalID, program, kommunenummer, enrolledAt) = (
                true, e.patientId, e.nationalId, e.program, e.kommunenummer, e.enrolledAt
            )
        case .teamsAssigned(let e):
            teams = PatientTeams(kommune: e.kommuneTeam, sykehus: e.sykehusTeam)
            reroute()
        case .routingChanged(let e):
            routing = e.option
            reroute()
        case .thresholdsChanged(let e):
            (thresholds, thresholdVersion) = (e.thresholds, e.version)
        case .patientDischarged(let e):
            dischargedAt = e.at
        case .deviceBound(let e):
            devices.append(DeviceBinding(serial: e.serial, kind: e.kind, from: e.at, to: nil, identifiers: e.identifiers))
        case .deviceDescribed(let e):
            if let i = devices.lastIndex(where: { $0.serial == e.serial }) { devices[i].description = e.description }
        case .patientIdentifiersChanged(let e):
            identifiers = e.identifiers
        case .deviceUnbound(let e):
            if let i = devices.lastIndex(where: { $0.serial == e.serial && $0.to == nil }) { devices[i].to = e.at }
        case .readingRecorded(let e):
            let key = e.gatewayReadingKey
            readingKeys[key] = e.readingId
            readings[e.readingId] = Reading(
                value: e.value, measuredAt: e.measuredAt, receivedAt: e.receivedAt, isVoid: false, content: e.content, key: key)
            if case .weight(let kg) = e.value { weights.append(WeightSample(readingID: e.readingId, kg: kg, measuredAt: e.measuredAt)) }
            lastMeasured[e.value.kind] = max(lastMeasured[e.value.kind] ?? e.measuredAt, e.measuredAt)
            retain(ReadingStamp(measuredAt: e.measuredAt, id: e.readingId), kind: e.value.kind)
        case .readingVoided(let e):
            voided.insert(e.readingId)
            // A reading no longer retained is not the latest of its kind.
            guard let kind = readings[e.readingId]?.kind else { break }
            readings[e.readingId]?.isVoid = true
            weights.removeAll { $0.readingID == e.readingId }
            lastMeasured[kind] = readings.values.filter { $0.kind == kind && !$0.isVoid }.map(\.measuredAt).max()
        case .alertRaised(let e):
            let alert = Alert(
                id: e.alertId, rule: e.rule, measurement: e.measurement, severity: e.severity, raisedAt: e.at, value: e.value,
                limit: e.limit, reading: e.readingId, thresholdVersion: e.thresholdVersion, overdueSince: e.overdueSince,
                routedTo: e.routedTo)
            alerts[e.alertId] = alert
            activeAlertByRule[e.rule] = e.alertId
            if let since = e.overdueSince { overdueRaisedSince[e.measurement] = since }
        case .alertUpdated(let e):
            updateAlert(e.alertId) {
                $0.applyBreach(reading: e.readingId, value: e.value, severity: e.severity, limit: e.limit)
                $0.worstValue = e.worstValue
                $0.breachCount = e.breachCount
            }
        case .alertAcknowledged(let e):
            updateAlert(e.alertId) { $0.applyAcknowledge(AlertStamp(by: e.by, at: e.at, note: e.note)) }
        case .alertEscalated(let e):
            updateAlert(e.alertId) { $0.applyEscalate(AlertStamp(by: e.by, at: e.at, note: e.note)) }
        case .alertResolved(let e):
            updateAlert(e.alertId) { $0.applyResolve(AlertStamp(by: e.by, at: e.at, note: e.note), resolution: e.resolution) }
            if let rule = alerts[e.alertId]?.rule, activeAlertByRule[rule] == e.alertId { activeAlertByRule[rule] = nil }
        }
    }

    /// Keeps `stamp` among its kind's retained readings and forgets the
    /// earliest measured one past `retainedPerKind`.
    private mutating func retain(_ stamp: ReadingStamp, kind: MeasurementKind) {
        var order = retained.removeValue(forKey: kind) ?? []
        defer { retained[kind] = order }
        var (low, high) = (0, order.count)
        while low < high {
            let mid = (low + high) / 2
            if order[mid].precedes(stamp) { low = mid + 1 } else { high = mid }
        }
        order.insert(stamp, at: low)
        guard order.count > Self.retainedPerKind else { return }
        let id = order.removeFirst().id
        guard let forgotten = readings.removeValue(forKey: id) else { return }
        if readingKeys[forgotten.key] == id { readingKeys[forgotten.key] = nil }
        if forgotten.kind == .weight { weights.removeAll { $0.readingID == id } }
    }

    private mutating func updateAlert(_ id: UUID, _ change: (inout Alert) -> Void) {
        guard var alert = alerts[id] else { return }
        change(&alert)
        if alert.isActive { alert.routedTo = AlertRouting.teams(for: alert, teams: teams, option: routing) }
        alerts[id] = alert
    }

    /// Active alerts follow the patient's teams and routing option.
    private mutating func reroute() {
        for id in activeAlertByRule.values { updateAlert(id) { _ in } }
    }
}
