import Foundation

/// What to simulate. Everything else follows from the seed.
public struct SimulationConfig: Sendable, Equatable, Codable {
    public var seed: UInt64
    public var patients: Int
    public var days: Int
    /// Midnight of the first day, Norwegian winter time (CET).
    public var start: Date
    /// Days whose readings individualised thresholds are set from (no deterioration starts before they end).
    public var baselineDays: Int
    /// Shares of the eligible patients given each kind of event (at least one each when anyone is eligible).
    public var exacerbationShare = 0.15
    public var fluidRetentionShare = 0.15
    public var hypertensiveShare = 0.15
    public var stopsMeasuringShare = 0.02
    public var handoverShare = 0.02
    /// Of measurement sessions: skipped, sent hours late; of uploads: sent twice.
    public var skipShare = 0.04
    public var lateShare = 0.05
    public var resendShare = 0.03
    /// The simulation's step: uploads go out and the overdue sweep runs once a step (the
    /// server's default sweep interval is the same 5 minutes).
    public var tickSeconds: Double = 300

    /// Monday 5 January 2026, 00:00 in Oslo (23:00 UTC the day before).
    public static let defaultStart = Date(timeIntervalSince1970: 1_767_567_600)
    /// Norwegian winter time: the daily rhythm is placed in UTC+1.
    public static let localOffset: TimeInterval = 3600

    public init(seed: UInt64, patients: Int, days: Int, start: Date = SimulationConfig.defaultStart, baselineDays: Int? = nil) {
        self.seed = seed
        self.patients = patients
        self.days = days
        self.start = start
        self.baselineDays = baselineDays ?? min(14, days / 2)
    }

    public var end: Date { start.addingTimeInterval(Double(days) * 86_400) }
    /// When individualised thresholds are set: the end of the baseline days.
    public var individualiseAt: Date { start.addingTimeInterval(Double(baselineDays) * 86_400) }

    /// The step at which something due at `date` happens (the first tick at or after it).
    public func tick(at date: Date) -> Date {
        let n = (date.timeIntervalSince(start) / tickSeconds).rounded(.up)
        return start.addingTimeInterval(max(n, 1) * tickSeconds)
    }

    public var ticks: Int { Int((end.timeIntervalSince(start) / tickSeconds).rounded(.up)) }
}
