import Foundation
import NIOConcurrencyHelpers

/// Gateway API keys already checked against `gateway_keys`, so that a
/// reading's request does not wait for a database round trip to be
/// authenticated. Only usable keys are kept (gateway, SHA-256 and the
/// gateway's teams), never the key itself, never a revoked one.
///
/// Every entry is trusted only while no key has changed since it was read:
/// `invalidate` forgets them all. It runs when this instance revokes a key
/// (before the revocation is answered), when the projector of any instance
/// writes a revocation (`NOTIFY varde_gateway_keys`, see `NotificationListener`)
/// and whenever notifications may have been missed (the listener reconnects).
/// An entry also expires after `maxAge`, in case a change reached
/// `gateway_keys` some other way.
public final class GatewayKeyCache: Sendable {
    public struct Key: Sendable, Equatable {
        public var gateway: UUID
        public var hash: String
        /// The teams whose patients the gateway serves.
        public var teams: [UUID]

        public init(gateway: UUID, hash: String, teams: [UUID]) {
            self.gateway = gateway
            self.hash = hash
            self.teams = teams
        }
    }

    private struct State {
        var generation = 0
        var entries: [String: (key: Key, generation: Int, readAt: ContinuousClock.Instant)] = [:]
        /// Key ids `gateway_keys` did not hold (or held revoked): asked again
        /// only after `maxAge` or a change, so guessing costs no round trip.
        var unknown: [String: (generation: Int, readAt: ContinuousClock.Instant)] = [:]
    }

    private let state = NIOLockedValueBox(State())
    public let maxAge: Duration
    public static let maxEntries = 10_000

    public init(maxAge: Duration = .seconds(60)) {
        self.maxAge = maxAge
    }

    /// Take this before reading `gateway_keys`, and give it to `store`: a
    /// change while the read was under way then keeps its result out.
    public var generation: Int { state.withLockedValue { $0.generation } }

    public func lookup(_ keyID: String) -> Key? {
        state.withLockedValue { state in
            guard let entry = state.entries[keyID], entry.generation == state.generation,
                ContinuousClock.now - entry.readAt < maxAge
            else { return nil }
            return entry.key
        }
    }

    public func store(_ keyID: String, _ key: Key, readAt generation: Int) {
        state.withLockedValue { state in
            guard generation == state.generation else { return }
            if state.entries.count >= Self.maxEntries { state.entries.removeAll(keepingCapacity: true) }
            state.entries[keyID] = (key, generation, ContinuousClock.now)
        }
    }

    public func isUnknown(_ keyID: String) -> Bool {
        state.withLockedValue { state in
            guard let entry = state.unknown[keyID], entry.generation == state.generation,
                ContinuousClock.now - entry.readAt < maxAge
            else { return false }
            return true
        }
    }

    public func storeUnknown(_ keyID: String, readAt generation: Int) {
        state.withLockedValue { state in
            guard generation == state.generation else { return }
            if state.unknown.count >= Self.maxEntries { state.unknown.removeAll(keepingCapacity: true) }
            state.unknown[keyID] = (generation, ContinuousClock.now)
        }
    }

    public func invalidate() {
        state.withLockedValue { state in
            state.generation += 1
            state.entries.removeAll()
            state.unknown.removeAll()
        }
    }
}
