import NIOConcurrencyHelpers

/// A position that only moves forward, and lets tasks wait until it reaches a
/// target. Used for "the log has events after N" (fed by LISTEN/NOTIFY) and
/// "the projector has applied N" (read-your-writes, long polls).
public final class Watermark: Sendable {
    private struct Waiter {
        let id: Int
        let target: Int64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var value: Int64
        var waiters: [Waiter] = []
        var nextID = 0
        /// Waiters whose timeout or cancellation came before they were queued.
        var expired: Set<Int> = []
    }

    private let state: NIOLockedValueBox<State>

    public init(_ value: Int64 = 0) {
        state = NIOLockedValueBox(State(value: value))
    }

    public var value: Int64 { state.withLockedValue { $0.value } }

    /// Moves the mark forward (never back) and wakes the waiters it satisfies.
    public func advance(to value: Int64) {
        let ready: [Waiter] = state.withLockedValue { s in
            guard value > s.value else { return [] }
            s.value = value
            let ready = s.waiters.filter { $0.target <= value }
            s.waiters.removeAll { $0.target <= value }
            return ready
        }
        ready.forEach { $0.continuation.resume(returning: true) }
    }

    /// Wakes every waiter without moving the mark (a reconnect may have missed
    /// notifications: waiters should look for themselves).
    public func wakeAll() {
        let all = state.withLockedValue { s in
            defer { s.waiters = [] }
            return s.waiters
        }
        all.forEach { $0.continuation.resume(returning: false) }
    }

    /// Returns true once the mark is at least `target`, false after `timeout`,
    /// on cancellation, or when woken by `wakeAll`.
    public func wait(until target: Int64, timeout: Duration) async -> Bool {
        if value >= target { return true }
        let id = state.withLockedValue { s -> Int in
            s.nextID += 1
            return s.nextID
        }
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            self.cancelWaiter(id)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate: Bool? = state.withLockedValue { s in
                    if s.value >= target { return true }
                    if Task.isCancelled || s.expired.remove(id) != nil { return false }
                    s.waiters.append(Waiter(id: id, target: target, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            self.cancelWaiter(id)
        }
    }

    private func cancelWaiter(_ id: Int) {
        let waiter = state.withLockedValue { s -> Waiter? in
            guard let index = s.waiters.firstIndex(where: { $0.id == id }) else {
                s.expired.insert(id)
                return nil
            }
            return s.waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: false)
    }
}
