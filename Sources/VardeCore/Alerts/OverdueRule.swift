import Foundation

/// The missing-measurement rule: a kind in the plan with no reading for interval + grace.
public enum OverdueRule {
    /// One overdue kind: the instant the gap is counted from and when it became overdue.
    public struct Finding: Equatable, Sendable {
        public var kind: MeasurementKind
        public var since: Date
        public var dueAt: Date
        /// The yellow breach this finding raises (`overdue.<kind>`, hours without a reading vs. the limit).
        public func breach(now: Date) -> Breach {
            Breach(
                rule: OverdueRule.rule(for: kind), severity: .yellow, measurement: kind,
                observed: (now.timeIntervalSince(since) / 36).rounded() / 100, limit: dueAt.timeIntervalSince(since) / 3600)
        }
    }

    /// `overdue.<kind>`.
    public static func rule(for kind: MeasurementKind) -> AlertRule { .overdue(kind) }

    /// Kinds of `plan` overdue at `now` (inclusive: exactly interval + grace is overdue). The gap
    /// counts from the later of the last measured time of that kind and `enrolledAt`.
    public static func overdue(
        plan: [ThresholdSet.Expected], lastMeasured: [MeasurementKind: Date], enrolledAt: Date, now: Date
    ) -> [Finding] {
        plan.compactMap { e in
            let since = max(lastMeasured[e.kind] ?? enrolledAt, enrolledAt)
            let due = since.addingTimeInterval((e.intervalHours + e.graceHours) * 3600)
            return now >= due ? Finding(kind: e.kind, since: since, dueAt: due) : nil
        }
    }
}
