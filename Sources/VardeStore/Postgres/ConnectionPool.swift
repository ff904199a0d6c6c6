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
        /// Waiters whose time ran out before they were queued.
        var expired: Set<Int> = []
        var closed = false
    }

    let capacity: Int
    /// How long a caller waits for a free connection before giving up with
    /// `PGError(.unavailable)` (a 503 with Retry-After to an HTTP client).
    let checkoutTimeout: Duration
    private let state = NIOLockedValueBox(State())

    init(capacity: Int, checkoutTimeout: Duration = .seconds(2)) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.checkoutTimeout = checkoutTimeout
    }

    /// Connections handed out, and callers waiting for one.
    var usage: (inUse: Int, waiting: Int) {
        state.withLockedValue { ($0.open - $0.idle.count, $0.waiters.count) }
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
            let timeout = checkoutTimeout
            let timer = Task { [weak self] in
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                self?.expire(id)
            }
            defer { timer.cancel() }
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let refused = state.withLockedValue { s -> (any Error)? in
                        if s.closed || Task.isCancelled { return CancellationError() }
                        if s.expired.remove(id) != nil { return self.timedOut }
                        s.waiters.append(Waiter(id: id, continuation: continuation))
                        return nil
                    }
                    if let refused { continuation.resume(throwing: refused) }
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

    /// Fails a waiter that waited `checkoutTimeout` in vain.
    private func expire(_ id: Int) {
        let waiter = state.withLockedValue { s -> Waiter? in
            guard let index = s.waiters.firstIndex(where: { $0.id == id }) else {
                // Not queued yet (or served a moment ago: a few ids at most stay behind).
                if s.expired.count > 1_000 { s.expired.removeAll() }
                s.expired.insert(id)
                return nil
            }
            return s.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: timedOut)
    }

    private var timedOut: PGError { PGError(.unavailable, message: "no database connection was free within \(checkoutTimeout)") }

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
