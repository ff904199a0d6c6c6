import Foundation
import NIOConcurrencyHelpers

/// Slows down guessing: a source (client address) that failed to
/// authenticate `limit` times within `window` gets 429 for the rest of the
/// window instead of another check, so unknown credentials cost neither a
/// database round trip nor CPU beyond a dictionary lookup. Credentials that
/// are already known good (a cached gateway key, a valid token) are never
/// refused by it: a busy NAT in front of a hospital is not shut out by one
/// bad client behind it.
final class FailureLimiter: Sendable {
    let limit: Int
    let window: Duration
    private let state = NIOLockedValueBox<[String: (count: Int, since: ContinuousClock.Instant)]>([:])
    static let maxSources = 10_000

    init(limit: Int = 20, window: Duration = .seconds(60)) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until `source` may try again, or nil when it may now.
    func blocked(_ source: String) -> Int? {
        state.withLockedValue { sources in
            guard let entry = sources[source] else { return nil }
            let elapsed = ContinuousClock.now - entry.since
            if elapsed >= window {
                sources[source] = nil
                return nil
            }
            guard entry.count >= limit else { return nil }
            return max(1, Int((window - elapsed).components.seconds))
        }
    }

    func failed(_ source: String) {
        state.withLockedValue { sources in
            if sources.count >= Self.maxSources { sources.removeAll(keepingCapacity: true) }
            let now = ContinuousClock.now
            if let entry = sources[source], now - entry.since < window {
                sources[source] = (entry.count + 1, entry.since)
            } else {
                sources[source] = (1, now)
            }
        }
    }
}
