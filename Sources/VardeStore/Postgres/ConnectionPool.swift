import NIOConcurrencyHelpers

/// Bookkeeping for a bounded set of connections. It never blocks and never
/// touches libpq: `Database` opens and closes connections on its own threads.
final class ConnectionPool: Sendable {
    enum Lease: Sendable {
        /// An idle connection to reuse (check it is alive first).
        case existing(PGConnection)
        /// A free slot: the caller opens a new connection for it.
        case open
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Lease, any Error>
    }

    private struct State {
        var idle: [PGConnection] = []
        var open = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var closed = false
    }

    let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    func acquire() async throws -> Lease {
        enum Immediate {
            case lease(Lease)
            case wait(Int)
            case closed
        }
        let immediate: Immediate = state.withLockedValue { s in
            if s.closed { return .closed }
            if let connection = s.idle.popLast() { return .lease(.existing(connection)) }
            if s.open < capacity {
                s.open += 1
                return .lease(.open)
            }
            s.nextWaiterID += 1
            return .wait(s.nextWaiterID)
        }
        switch immediate {
        case .closed: throw PGError(.unavailable, message: "pool is closed")
        case .lease(let lease): return lease
        case .wait(let id):
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let enqueued = state.withLockedValue { s -> Bool in
                        if s.closed || Task.isCancelled { return false }
                        s.waiters.append(Waiter(id: id, continuation: continuation))
                        return true
                    }
                    if !enqueued { continuation.resume(throwing: CancellationError()) }
                }
            } onCancel: {
                let waiter = state.withLockedValue { s -> Waiter? in
                    guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return s.waiters.remove(at: index)
                }
                waiter?.continuation.resume(throwing: CancellationError())
            }
        }
    }

    /// Returns a healthy connection, or `nil` when the slot's connection was
    /// discarded (broken, or could not be opened).
    func release(_ connection: PGConnection?) {
        let handOff: (Waiter, Lease)? = state.withLockedValue { s in
            if s.closed {
                s.open -= 1
                return nil
            }
            if let connection {
                if s.waiters.isEmpty {
                    s.idle.append(connection)
                    return nil
                }
                return (s.waiters.removeFirst(), .existing(connection))
            }
            if s.waiters.isEmpty {
                s.open -= 1
                return nil
            }
            return (s.waiters.removeFirst(), .open)
        }
        if let (waiter, lease) = handOff { waiter.continuation.resume(returning: lease) }
    }

    /// Refuses new work, fails waiters, and hands back the idle connections to close.
    func close() -> [PGConnection] {
        let (idle, waiters) = state.withLockedValue { s in
            s.closed = true
            defer {
                s.idle = []
                s.waiters = []
            }
            s.open -= s.idle.count
            return (s.idle, s.waiters)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PGError(.unavailable, message: "pool is closed"))
        }
        return idle
    }
}
