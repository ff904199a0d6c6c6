import NIOConcurrencyHelpers

/// Caps on waiting long polls, per caller and in all: each holds a request
/// open (and a task, and buffers), so a client that opens thousands, or
/// many clients at once, are refused with 429 instead of exhausting the
/// server. A poll that answers at once (no `wait`) is not counted.
final class PollLimiter: Sendable {
    let perCaller: Int
    let total: Int
    private let state = NIOLockedValueBox<(open: Int, byCaller: [String: Int])>((0, [:]))

    init(perCaller: Int, total: Int) {
        self.perCaller = perCaller
        self.total = total
    }

    /// Polls waiting now.
    var open: Int { state.withLockedValue { $0.open } }

    /// Counts a poll in, or refuses it (false) when a cap is reached.
    func enter(_ caller: String) -> Bool {
        state.withLockedValue { s in
            guard s.open < total, s.byCaller[caller, default: 0] < perCaller else { return false }
            s.open += 1
            s.byCaller[caller, default: 0] += 1
            return true
        }
    }

    func leave(_ caller: String) {
        state.withLockedValue { s in
            s.open -= 1
            s.byCaller[caller, default: 1] -= 1
            if s.byCaller[caller] == 0 { s.byCaller[caller] = nil }
        }
    }
}
