import Foundation

/// Recording and voiding readings, with the alerts they raise, update, resolve or withdraw.
extension Patient {
    static func record(_ s: PatientState, _ r: ReadingToRecord, now: Date) throws(DomainError) -> [PatientEvent] {
        if let existing = s.existingReading(gateway: r.gateway, gatewayReadingID: r.gatewayReadingID) {
            // A retry is stored once; the same id with other content is refused, never dropped.
            if let field = s.readings[existing]?.content.difference(from: r.content) { throw .reused(field: field) }
            return []
        }
        guard s.readings[r.readingEventID] == nil else { throw .conflict("reading event id is already used by another reading") }
        let measuredAt = EventDate.normalized(r.measuredAt)
        var out: [PatientEvent] = [
            .readingRecorded(
                ReadingRecorded(
                    readingId: r.readingEventID, gatewayReadingId: r.gatewayReadingID, gateway: r.gateway, deviceSerial: r.deviceSerial,
                    measuredAt: measuredAt, receivedAt: now, value: r.value, asSent: r.asSent, clockOffset: r.clockOffset))
        ]

        let breaches = RuleEvaluator.evaluate(r.value, measuredAt: measuredAt, thresholds: s.thresholds, weightHistory: s.weights)
        for b in breaches {
            if let a = s.activeAlert(rule: b.rule) {
                out.append(
                    .alertUpdated(
                        AlertUpdated(
                            alertId: a.id, readingId: r.readingEventID, value: b.observed, worstValue: a.worse(a.worstValue, b.observed),
                            breachCount: a.breachCount + 1, severity: max(a.severity, b.severity),
                            limit: b.severity > a.severity ? b.limit : a.limit, thresholdVersion: s.thresholdVersion, at: now)))
            } else {
                out.append(
                    .alertRaised(
                        AlertRaised(
                            alertId: DeterministicID.alertID(readingEventID: r.readingEventID, rule: b.rule), rule: b.rule,
                            measurement: b.measurement,
                            severity: b.severity, value: b.observed, limit: b.limit, readingId: r.readingEventID,
                            thresholdVersion: s.thresholdVersion,
                            routedTo: AlertRouting.teams(severity: b.severity, escalated: false, teams: s.teams, option: s.routing), at: now
                        )))
            }
        }
        // A reading inside the gap satisfies an active overdue alert of its kind.
        if let a = s.activeAlert(rule: OverdueRule.rule(for: r.value.kind)), measuredAt > (a.overdueSince ?? .distantPast) {
            out.append(
                .alertResolved(AlertResolved(alertId: a.id, resolution: .autoResolved, by: .system, at: now, note: "reading received")))
        }
        return out
    }

    static func void(
        _ s: PatientState, _ id: UUID, reason: String, recorded: Bool, by: ActorRef, now: Date
    ) throws(DomainError) -> [PatientEvent] {
        guard s.readings[id] != nil || recorded else { throw .notFound("reading") }
        guard !s.voided.contains(id) else { throw .conflict("reading is already void") }
        // Withdrawn: the active alerts this reading caused whose every other
        // reading is void already (overdue alerts have no readings).
        let withdrawn = s.alerts.values.filter { alert in
            alert.isActive && alert.readings.contains(id) && alert.readings.allSatisfy { $0 == id || s.voided.contains($0) }
        }.sorted { $0.id.uuidString < $1.id.uuidString }
        return [.readingVoided(ReadingVoided(readingId: id, reason: reason, by: by, at: now))]
            + withdrawn.map {
                .alertResolved(AlertResolved(alertId: $0.id, resolution: .withdrawn, by: by, at: now, note: "reading voided"))
            }
    }

    static func overdue(_ s: PatientState, now: Date) -> [PatientEvent] {
        guard let enrolledAt = s.enrolledAt, let patientID = s.patientID else { return [] }
        return OverdueRule.overdue(plan: s.thresholds.expected, lastMeasured: s.lastMeasured, enrolledAt: enrolledAt, now: now).compactMap {
            f in
            let b = f.breach(now: now)
            guard s.activeAlert(rule: b.rule) == nil, s.overdueRaisedSince[f.kind] != f.since else { return nil }
            return .alertRaised(
                AlertRaised(
                    alertId: DeterministicID.overdueAlertID(patientID: patientID, rule: b.rule, since: f.since), rule: b.rule,
                    measurement: f.kind, severity: .yellow, value: b.observed, limit: b.limit, readingId: nil,
                    thresholdVersion: s.thresholdVersion, overdueSince: f.since,
                    routedTo: AlertRouting.teams(severity: .yellow, escalated: false, teams: s.teams, option: s.routing), at: now))
        }
    }
}
