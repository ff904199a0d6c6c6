import Foundation
import NIOConcurrencyHelpers

/// Whether a subscription is keeping up: the error that stops it, since
/// when, and how often it was tried. `/readyz` reports it; the run loop logs
/// it at error when it starts and then once a minute, not on every retry.
public final class SubscriptionHealth: Sendable {
    public struct Failure: Sendable, Equatable {
        public var since: Date
        public var error: String
        public var attempts: Int
    }

    private let state = NIOLockedValueBox<(failure: Failure?, lastLogged: ContinuousClock.Instant?)>((nil, nil))

    public init() {}

    /// The failure that stops the subscription, or nil while it keeps up.
    public var failure: Failure? { state.withLockedValue { $0.failure } }

    /// Records a failed attempt; true when it should be logged (the first,
    /// then at most once a minute).
    func failed(_ error: String, now: Date) -> Bool {
        state.withLockedValue { s in
            let attempts = (s.failure?.attempts ?? 0) + 1
            s.failure = Failure(since: s.failure?.since ?? now, error: error, attempts: attempts)
            let due = s.lastLogged.map { ContinuousClock.now - $0 >= .seconds(60) } ?? true
            if due { s.lastLogged = ContinuousClock.now }
            return due
        }
    }

    /// Records a successful step; returns the failure it ends, if any.
    func succeeded() -> Failure? {
        state.withLockedValue { s in
            defer { s = (nil, nil) }
            return s.failure
        }
    }
}
