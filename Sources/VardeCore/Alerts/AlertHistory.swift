import Foundation

/// Every alert of a patient with why it was raised, folded once from the
/// patient's events: the reading that raised it (value and measured time,
/// and whether it was voided since), the rule, value, limit and threshold
/// version of the raise, and for a weight gain the baseline it was measured
/// against as the stream stood when the reading came (the same rule code
/// that decided, `RuleEvaluator.weightBaseline`). What the nurses' patient
/// page shows; the auditors' explanation shows the stored events themselves.
public enum AlertHistory {
    public struct Entry: Equatable, Sendable {
        /// The alert as it stands now.
        public var alert: Alert
        /// The raise as recorded (nil only for an alert whose raise this build cannot read).
        public var raised: AlertRaised?
        /// The reading that raised it (none for a missing-measurement alert).
        public var reading: ReadingRef?
        /// The lowest earlier weight in the rule's window, for `weight.gain`.
        public var baseline: WeightSample?
    }

    public struct ReadingRef: Equatable, Sendable {
        public var id: UUID
        public var value: MeasurementValue
        public var measuredAt: Date
        /// Voided since (entered in error).
        public var voided: Bool
    }

    /// The patient's alerts, the latest raised first.
    public static func entries(_ events: some Sequence<PatientEvent>) -> [Entry] {
        var state = PatientState.initial
        var raises: [UUID: (AlertRaised, WeightSample?)] = [:]
        // The readings alerts name, kept here: the state forgets older readings.
        var named: [UUID: ReadingRef] = [:]
        var lastRecorded: ReadingRef?
        for event in events {
            switch event {
            case .readingRecorded(let r):
                lastRecorded = ReadingRef(id: r.readingId, value: r.value, measuredAt: r.measuredAt, voided: false)
            case .alertRaised(let a):
                var baseline: WeightSample?
                // The reading was applied just before its alerts; the window ends
                // strictly before its measured time, so it is not its own baseline.
                // (Its alerts follow a reading at once: `lastRecorded` is it.)
                let reading = a.readingId.flatMap { id in
                    state.readings[id].map { ReadingRef(id: id, value: $0.value, measuredAt: $0.measuredAt, voided: $0.isVoid) }
                        ?? (lastRecorded?.id == id ? lastRecorded : nil)
                }
                if a.rule == .weightGain, let reading, let rule = state.thresholds.weightGain {
                    baseline = RuleEvaluator.weightBaseline(before: reading.measuredAt, windowDays: rule.windowDays, history: state.weights)
                }
                raises[a.alertId] = (a, baseline)
                if let reading { named[reading.id] = reading }
            case .readingVoided(let v):
                named[v.readingId]?.voided = true
            default:
                break
            }
            state.apply(event)
        }
        return state.alerts.values.sorted { Alert.raisedOrder($1, $0) }.map { alert in
            let raise = raises[alert.id]
            let readingID = raise?.0.readingId ?? alert.readings.first
            let reading = readingID.flatMap { id in
                named[id] ?? state.readings[id].map { ReadingRef(id: id, value: $0.value, measuredAt: $0.measuredAt, voided: $0.isVoid) }
            }
            return Entry(alert: alert, raised: raise?.0, reading: reading, baseline: raise?.1)
        }
    }
}
