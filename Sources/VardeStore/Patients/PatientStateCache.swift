import Foundation
import NIOConcurrencyHelpers
import VardeCore

/// Recently used patient states, so that a command reads only the tail of the
/// stream. Entries are plain values at a known version: a stale entry costs a
/// longer tail read, never a wrong decision (the append checks the version).
///
/// Bounded by patients and by the readings their states hold (a state keeps
/// every reading of the patient), so memory stays bounded however long the
/// server runs: past either bound the cache starts over.
final class PatientStateCache: Sendable {
    private let entries = NIOLockedValueBox<(states: [UUID: PatientState], readings: Int)>(([:], 0))
    private let capacity: Int
    private let maxReadings: Int

    init(capacity: Int = 20_000, maxReadings: Int = 1_000_000) {
        self.capacity = capacity
        self.maxReadings = maxReadings
    }

    func get(_ id: UUID) -> PatientState? {
        entries.withLockedValue { $0.states[id] }
    }

    func put(_ states: [UUID: PatientState]) {
        entries.withLockedValue { cache in
            let adding = states.values.reduce(0) { $0 + $1.readings.count }
            if cache.states.count + states.count > capacity || cache.readings + adding > maxReadings {
                cache = ([:], 0)
            }
            for (id, state) in states where (cache.states[id]?.version ?? -1) < state.version {
                cache.readings += state.readings.count - (cache.states[id]?.readings.count ?? 0)
                cache.states[id] = state
            }
        }
    }

    func remove(_ ids: some Sequence<UUID>) {
        entries.withLockedValue { cache in
            for id in ids {
                cache.readings -= cache.states.removeValue(forKey: id)?.readings.count ?? 0
            }
        }
    }
}
