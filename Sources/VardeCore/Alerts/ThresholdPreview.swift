import Foundation

/// What-if replay of a proposed threshold set on a patient's own stream: the
/// alerts `decide` would have raised over a window had the set been in force
/// from its start, beside the alerts that were raised. Pure: the caller reads
/// the stream, nothing is written.
///
/// The stream before the window is folded as recorded (alerts still open then
/// stay open). From the window's start the proposed set is in force, and
/// every reading is decided again at its own received time, exactly as
/// `AlertReplay` re-decides them for the auditor. Overdue alerts are decided
/// at the instant each gap became overdue, as a sweep running continuously
/// would (the real sweep runs every few minutes, so recorded ones may be a
/// little later). People's steps (acknowledge, escalate, resolve) are replayed
/// on the alerts both worlds share: alert ids come from the reading and the
/// rule (or the gap), so an alert the proposed set raises from the same
/// reading is the same alert. An alert only the proposed set raises was never
/// in anyone's feed, so nobody resolved it: it stays open for the rest of the
/// window, and later breaches of its rule count on it (`breachCount`).
public enum ThresholdPreview {
    public struct PreviewAlert: Equatable, Sendable {
        /// The alert's id (deterministic, so the same in both worlds when both raised it).
        public var alertID: UUID
        public var rule: AlertRule
        /// The severity at the end of the window.
        public var severity: Severity
        public var raisedAt: Date
        /// The reading that raised it (nil for overdue alerts).
        public var readingID: UUID?
        public var measuredAt: Date?
        /// The value that raised it and the limit it crossed then.
        public var value: Double
        public var limit: Double
        public var worstValue: Double
        public var breachCount: Int
        public var overdueSince: Date?
        /// Whether the other world raised it too.
        public var inBoth: Bool
    }

    public struct Result: Equatable, Sendable {
        public var from: Date
        public var to: Date
        /// Readings recorded in the window (each decided again).
        public var readings: Int
        /// What the proposed set would have raised, oldest first.
        public var wouldRaise: [PreviewAlert]
        /// What was raised in the window, oldest first.
        public var raised: [PreviewAlert]
    }

    public static func run(_ events: [PatientEvent], proposed: ThresholdSet, from: Date, to: Date) -> Result {
        var state = PatientState.initial
        var i = 0
        while i < events.count, (events[i].decidedAt ?? .distantPast) < from {
            state.apply(events[i])
            i += 1
        }
        // In force from the window's start; the version stays (a preview makes none).
        state.thresholds = proposed
        var wouldRaise: [AlertRaised] = []
        var readings = 0

        func apply(_ decided: [PatientEvent]) {
            for e in decided {
                if case .alertRaised(let a) = e { wouldRaise.append(a) }
                state.apply(e)
            }
        }
        func decide(_ command: PatientCommand, at: Date, by actor: ActorRef = .system) -> [PatientEvent]? {
            try? Patient.decide(state: state, command: command, context: DecisionContext(now: at, actor: actor))
        }
        /// Overdue alerts due before `until`, each at its due time (never before the window).
        func sweep(until: Date) {
            while let enrolledAt = state.enrolledAt, !state.isDischarged {
                let due = OverdueRule.overdue(
                    plan: state.thresholds.expected, lastMeasured: state.lastMeasured, enrolledAt: enrolledAt, now: until
                )
                .filter { state.activeAlert(rule: .overdue($0.kind)) == nil && state.overdueRaisedSince[$0.kind] != $0.since }
                guard let first = due.map(\.dueAt).min(), let out = decide(.checkOverdue, at: max(first, from)), !out.isEmpty else {
                    return
                }
                apply(out)
            }
        }

        for event in events[i...] {
            guard let at = event.decidedAt, at <= to else { break }
            sweep(until: at)
            switch event {
            case .readingRecorded(let r):
                readings += 1
                let command = PatientCommand.recordReading(
                    ReadingToRecord(
                        readingEventID: r.readingId, gatewayReadingID: r.gatewayReadingId, gateway: r.gateway,
                        deviceSerial: r.deviceSerial, measuredAt: r.measuredAt, value: r.value, asSent: r.asSent,
                        clockOffset: r.clockOffset))
                if let out = decide(command, at: r.receivedAt), !out.isEmpty { apply(out) } else { state.apply(event) }
            case .readingVoided(let v):
                apply(decide(.voidReading(readingID: v.readingId, reason: v.reason, recorded: true), at: v.at, by: v.by) ?? [event])
            case .alertAcknowledged(let a):
                if (try? state.alerts[a.alertId]?.checkAcknowledge()) != nil { state.apply(event) }
            case .alertEscalated(let a):
                if (try? state.alerts[a.alertId]?.checkEscalate()) != nil { state.apply(event) }
            case .alertResolved(let a) where a.resolution == .manual:
                if (try? state.alerts[a.alertId]?.checkResolve()) != nil { state.apply(event) }
            case .alertRaised, .alertUpdated, .alertResolved, .thresholdsChanged:
                // Derived by the rules (decided again above), or the set the preview replaces.
                break
            default:
                state.apply(event)
            }
        }
        sweep(until: to)

        let recorded = PatientState.replay(events.prefix { ($0.decidedAt ?? .distantPast) <= to })
        let raised = events.compactMap { e -> AlertRaised? in
            guard case .alertRaised(let a) = e, a.at >= from, a.at <= to else { return nil }
            return a
        }
        let (would, was) = (Set(wouldRaise.map(\.alertId)), Set(raised.map(\.alertId)))
        // Measured times of the raising readings, from the stream (the state retains only the latest readings).
        let named = Set((wouldRaise + raised).compactMap(\.readingId))
        var measured: [UUID: Date] = [:]
        for case .readingRecorded(let r) in events where named.contains(r.readingId) { measured[r.readingId] = r.measuredAt }
        return Result(
            from: from, to: to, readings: readings,
            wouldRaise: wouldRaise.map { summary($0, state, measured, inBoth: was.contains($0.alertId)) },
            raised: raised.map { summary($0, recorded, measured, inBoth: would.contains($0.alertId)) })
    }

    /// The alert as `raise` made it, with its severity, worst value and count at the window's end in `s`.
    private static func summary(_ raise: AlertRaised, _ s: PatientState, _ measured: [UUID: Date], inBoth: Bool) -> PreviewAlert {
        let now = s.alerts[raise.alertId]
        return PreviewAlert(
            alertID: raise.alertId, rule: raise.rule, severity: now?.severity ?? raise.severity, raisedAt: raise.at,
            readingID: raise.readingId, measuredAt: raise.readingId.flatMap { measured[$0] }, value: raise.value,
            limit: raise.limit, worstValue: now?.worstValue ?? raise.value, breachCount: now?.breachCount ?? 1,
            overdueSince: raise.overdueSince, inBoth: inBoth)
    }
}

extension PatientEvent {
    /// When the event was decided (a reading's received time): the time the
    /// rules judged it at, as the application's clock gave it.
    public var decidedAt: Date? {
        switch self {
        case .patientEnrolled(let e): e.enrolledAt
        case .teamsAssigned(let e): e.at
        case .routingChanged(let e): e.at
        case .thresholdsChanged(let e): e.at
        case .patientDischarged(let e): e.at
        case .deviceBound(let e): e.at
        case .deviceUnbound(let e): e.at
        case .deviceDescribed(let e): e.at
        case .patientIdentifiersChanged(let e): e.at
        case .readingRecorded(let e): e.receivedAt
        case .readingVoided(let e): e.at
        case .alertRaised(let e): e.at
        case .alertUpdated(let e): e.at
        case .alertAcknowledged(let e): e.at
        case .alertEscalated(let e): e.at
        case .alertResolved(let e): e.at
        }
    }
}
