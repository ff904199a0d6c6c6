import Foundation
import Synchronization

/// Where the application reads the time of day: every instant it records
/// (received at, decided at, the overdue sweep's now, a token's expiry check)
/// comes from one clock. The system's in production; a simulated one lets
/// `varde simulate` play months of a fleet through the same code in minutes.
/// Waiting (long polls, timeouts) uses real durations either way.
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until moved.
public final class SimulatedClock: WallClock {
    private let current: Mutex<Date>

    public init(_ start: Date) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock to `date`; never backwards.
    public func set(_ date: Date) {
        current.withLock { $0 = max($0, date) }
    }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 += seconds }
    }
}
