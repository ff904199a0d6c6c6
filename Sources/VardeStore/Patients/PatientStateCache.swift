import Foundation
import NIOConcurrencyHelpers
import VardeCore

/// Recently used patient states, so that a command reads only the tail of the
/// stream. Entries are plain values at a known version: a stale entry costs a
/// longer tail read, never a wrong decision (the append checks the version).
final class PatientStateCache: Sendable {
    private let entries = NIOLockedValueBox<[UUID: PatientState]>([:])
    private let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    func get(_ id: UUID) -> PatientState? {
        entries.withLockedValue { $0[id] }
    }

    func put(_ states: [UUID: PatientState]) {
        entries.withLockedValue { entries in
            if entries.count + states.count > capacity { entries.removeAll(keepingCapacity: true) }
            for (id, state) in states where (entries[id]?.version ?? -1) < state.version {
                entries[id] = state
            }
        }
    }

    func remove(_ ids: some Sequence<UUID>) {
        entries.withLockedValue { entries in ids.forEach { entries[$0] = nil } }
    }
}
