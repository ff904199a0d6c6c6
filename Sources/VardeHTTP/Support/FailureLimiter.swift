import Foundation
import NIOConcurrencyHelpers

/// Slows down guessing: a source (client address) that failed to
/// authenticate `limit` times within `window` gets one more check a second
/// for the rest of the window, and 429 for the others, so a flood of made-up
/// credentials costs at most a database round trip a second. Credentials
/// that are known good (a cached gateway key, a valid token) are never
/// refused by it, and a real gateway behind the same address (a hospital's
/// NAT) gets its uncached key checked within a second of asking.
final class FailureLimiter: Sendable {
    let limit: Int
    let window: Duration
    private let state = NIOLockedValueBox<[String: (count: Int, since: ContinuousClock.Instant, lastTry: ContinuousClock.Instant?)]>([:])
    static let maxSources = 10_000

    init(limit: Int = 20, window: Duration = .seconds(60)) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until `source` may try again, or nil when it may now (over
    /// the limit, once a second).
    func blocked(_ source: String) -> Int? {
        state.withLockedValue { sources in
            guard let entry = sources[source] else { return nil }
            let now = ContinuousClock.now
            let elapsed = now - entry.since
            if elapsed >= window {
                sources[source] = nil
                return nil
            }
            guard entry.count >= limit else { return nil }
            if entry.lastTry.map({ now - $0 >= .seconds(1) }) ?? true {
                sources[source]!.lastTry = now
                return nil
            }
            return max(1, Int((window - elapsed).components.seconds))
        }
    }

    func failed(_ source: String) {
        state.withLockedValue { sources in
            if sources.count >= Self.maxSources { sources.removeAll(keepingCapacity: true) }
            let now = ContinuousClock.now
            if let entry = sources[source], now - entry.since < window {
                sources[source]!.count = entry.count + 1
            } else {
                sources[source] = (1, now, nil)
            }
        }
    }
}
