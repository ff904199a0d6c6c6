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
        for event in events {
            if case .alertRaised(let a) = event {
                var baseline: WeightSample?
                // The reading was applied just before its alerts; the window ends
                // strictly before its measured time, so it is not its own baseline.
                if a.rule == .weightGain, let id = a.readingId, let reading = state.readings[id], let rule = state.thresholds.weightGain {
                    baseline = RuleEvaluator.weightBaseline(before: reading.measuredAt, windowDays: rule.windowDays, history: state.weights)
                }
                raises[a.alertId] = (a, baseline)
            }
            state.apply(event)
        }
        return state.alerts.values.sorted { Alert.raisedOrder($1, $0) }.map { alert in
            let raise = raises[alert.id]
            let readingID = raise?.0.readingId ?? alert.readings.first
            let reading = readingID.flatMap { id in
                state.readings[id].map { ReadingRef(id: id, value: $0.value, measuredAt: $0.measuredAt, voided: $0.isVoid) }
            }
            return Entry(alert: alert, raised: raise?.0, reading: reading, baseline: raise?.1)
        }
    }
}
