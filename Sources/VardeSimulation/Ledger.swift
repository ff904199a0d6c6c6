import Foundation
import Synchronization

/// What the server answered, as the run goes: which readings were stored
/// under which event id, duplicates, refusals by reason.
final class Ledger: Sendable {
    struct State {
        var readingOfEvent: [String: Int] = [:]
        var created = Set<Int>()
        var duplicates = 0
        var refused: [String: Int] = [:]
        var requests = 0
        var readingsSent = 0
        var nurseSteps = 0
        var examples: [String] = []
    }

    private let state = Mutex(State())

    func update<T>(_ body: (inout State) -> T) -> T { state.withLock { body(&$0) } }

    var snapshot: State { state.withLock { $0 } }

    /// One reading's answer: `status` created, duplicate or a refusal text.
    func answer(_ reading: Int, eventID: String?, created: Bool?, refusal: String?) {
        state.withLock { s in
            if let eventID { s.readingOfEvent[eventID.lowercased()] = reading }
            switch created {
            case true?: s.created.insert(reading)
            case false?: s.duplicates += 1
            case nil:
                let reason = refusal ?? "unknown"
                s.refused[reason, default: 0] += 1
                if s.examples.count < 5 { s.examples.append(reason) }
            }
        }
    }
}
