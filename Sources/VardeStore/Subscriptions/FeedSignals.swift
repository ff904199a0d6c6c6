import Foundation
import NIOConcurrencyHelpers

/// Wakes the long polls waiting on a team's alert feed when, and only when,
/// the projector committed feed entries for that team (`NOTIFY varde_feed`,
/// see `NotificationListener`): a waiting poll costs no query until
/// something for its team changed.
///
/// Each team has a generation, moved by every signal for it. A poll takes
/// the generation before it reads the feed and waits for a later one, so a
/// signal between its read and its wait is never lost.
public final class FeedSignals: Sendable {
    private struct Waiter {
        let id: Int
        let team: UUID
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var generations: [UUID: Int] = [:]
        /// Moved by `wakeAll`: every team's generation is past it.
        var epoch = 0
        var waiters: [Int: Waiter] = [:]
        var nextID = 0
        /// Waiters whose timeout came before they were queued.
        var expired: Set<Int> = []
        /// Draining: every wait returns at once.
        var closed = false
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// The team's current generation.
    public func generation(_ team: UUID) -> Int {
        state.withLockedValue { $0.epoch + ($0.generations[team] ?? 0) }
    }

    /// Returns once the team's generation is past `seen`, or after `timeout`
    /// (or at once when draining).
    public func wait(_ team: UUID, after seen: Int, timeout: Duration) async {
        let id = state.withLockedValue { s -> Int in
            s.nextID += 1
            return s.nextID
        }
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            self.release(id)
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLockedValue { s -> Bool in
                    if s.closed || s.epoch + (s.generations[team] ?? 0) > seen || s.expired.remove(id) != nil || Task.isCancelled {
                        return true
                    }
                    s.waiters[id] = Waiter(id: id, team: team, continuation: continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            self.release(id)
        }
    }

    /// Feed entries for `teams` were committed.
    public func wake(_ teams: [UUID]) {
        let woken = state.withLockedValue { s -> [Waiter] in
            for team in teams { s.generations[team, default: 0] += 1 }
            let set = Set(teams)
            let ready = s.waiters.values.filter { set.contains($0.team) }
            for waiter in ready { s.waiters[waiter.id] = nil }
            return ready
        }
        woken.forEach { $0.continuation.resume() }
    }

    /// Something may have changed for any team (notifications were missed).
    public func wakeAll() {
        let woken = state.withLockedValue { s -> [Waiter] in
            s.epoch += 1
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        woken.forEach { $0.continuation.resume() }
    }

    /// Ends every wait now and every later one at once (graceful shutdown:
    /// polls answer with what they have, so clients re-poll elsewhere).
    public func close() {
        state.withLockedValue { $0.closed = true }
        wakeAll()
    }

    public var isClosed: Bool { state.withLockedValue { $0.closed } }

    private func release(_ id: Int) {
        let waiter = state.withLockedValue { s -> Waiter? in
            guard let waiter = s.waiters.removeValue(forKey: id) else {
                if s.expired.count > 1_000 { s.expired.removeAll() }
                s.expired.insert(id)
                return nil
            }
            return waiter
        }
        waiter?.continuation.resume()
    }
}
