import Foundation
import Logging
import VardeCore

/// Runs patient commands: load state (cache + stream tail), `decide`, append
/// with the exact version the decision was made on. A concurrent writer makes
/// the append fail with a version conflict; the whole batch is then decided
/// again on fresh state, so every event is judged against what was really
/// there. Several patients' commands commit in one transaction.
public struct PatientRepository: Sendable {
    public let store: EventStore
    private let cache = PatientStateCache()

    public init(store: EventStore) {
        self.store = store
    }

    /// Runs one command and returns its events, or throws the domain error.
    public func execute(
        _ patientID: UUID, _ command: PatientCommand, context: DecisionContext, metadata: EventMetadata,
        before: (@Sendable (PGConnection) throws -> Void)? = nil
    ) async throws -> (events: [(id: UUID, event: PatientEvent)], state: PatientState, position: Int64) {
        let execution = try await execute([Item(patientID: patientID, command: command)], context: context, metadata: metadata, before: before)
        let outcome = execution.outcomes[0]
        return (try outcome.result.get(), outcome.state, execution.position)
    }

    /// One command for one patient; each item of a batch is judged on its own.
    public struct Item: Sendable {
        public var patientID: UUID
        public var command: PatientCommand

        public init(patientID: UUID, command: PatientCommand) {
            self.patientID = patientID
            self.command = command
        }
    }

    /// What became of an item: the events it produced (with their envelope ids),
    /// or the domain error that refused it.
    public struct Outcome: Sendable {
        public var result: Result<[(id: UUID, event: PatientEvent)], DomainError>
        /// The state after the whole batch, for this item's patient.
        public var state: PatientState
    }

    /// The current state of one patient.
    public func state(of id: UUID) async throws -> PatientState {
        try await states(of: [id])[id]!
    }

    public func states(of ids: Set<UUID>) async throws -> [UUID: PatientState] {
        let known = Dictionary(uniqueKeysWithValues: ids.map { ($0, cache.get($0) ?? .initial) })
        let fresh = try await store.database.withConnection { try $0.refresh(known) }
        cache.put(fresh)
        return fresh
    }

    public struct Execution: Sendable {
        /// One per item, in order.
        public var outcomes: [Outcome]
        /// The highest position written (0 when nothing was), for read-your-writes.
        public var position: Int64
    }

    /// Decides and appends a batch; `before` runs in the same transaction just
    /// ahead of the append (the access log of a change). Items come back in order.
    public func execute(
        _ items: [Item], context: DecisionContext, metadata: EventMetadata,
        before: (@Sendable (PGConnection) throws -> Void)? = nil
    ) async throws -> Execution {
        var attempt = 0
        while true {
            attempt += 1
            let states = try await states(of: Set(items.map(\.patientID)))
            let (outcomes, appends, after) = Self.decideAll(items, states: states, context: context, metadata: metadata)
            do {
                let appended = try await store.database.transaction { connection in
                    try before?(connection)
                    return try connection.append(appends)
                }
                cache.put(after)
                return Execution(outcomes: outcomes, position: appended.map(\.position).max() ?? 0)
            } catch AppendError.versionConflict where attempt < 5 {
                cache.remove(items.map(\.patientID))
                continue
            }
        }
    }

    /// The same on a connection the caller holds (the sweep, under its lock);
    /// each call is its own transaction.
    public func executeSync(_ items: [Item], context: DecisionContext, metadata: EventMetadata, on connection: PGConnection) throws -> Execution {
        var attempt = 0
        while true {
            attempt += 1
            let ids = Set(items.map(\.patientID))
            let known = Dictionary(uniqueKeysWithValues: ids.map { ($0, cache.get($0) ?? .initial) })
            let states = try connection.refresh(known)
            let (outcomes, appends, after) = Self.decideAll(items, states: states, context: context, metadata: metadata)
            do {
                let appended = try connection.transaction { try $0.append(appends) }
                cache.put(after)
                return Execution(outcomes: outcomes, position: appended.map(\.position).max() ?? 0)
            } catch AppendError.versionConflict where attempt < 5 {
                cache.remove(ids)
            }
        }
    }

    static func decideAll(
        _ items: [Item], states: [UUID: PatientState], context: DecisionContext, metadata: EventMetadata
    ) -> ([Outcome], [StreamAppend], [UUID: PatientState]) {
        var states = states
        var pending: [UUID: [NewEvent]] = [:]
        var results: [Result<[(id: UUID, event: PatientEvent)], DomainError>] = []
        for item in items {
            let state = states[item.patientID]!
            do {
                let events = try Patient.decide(state: state, command: item.command, context: context)
                let causation = events.first?.requiredEventID
                var enveloped: [(id: UUID, event: PatientEvent)] = []
                for event in events {
                    let id = event.requiredEventID ?? UUID()
                    var meta = metadata
                    if let causation, id != causation { meta.causationID = causation }
                    pending[item.patientID, default: []].append(
                        NewEvent(id: id, type: event.type, schemaVersion: event.schemaVersion, data: event.encode(), metadata: meta))
                    enveloped.append((id, event))
                }
                states[item.patientID] = PatientState.replay(events, from: state)
                results.append(.success(enveloped))
            } catch {
                results.append(.failure(error))
            }
        }
        let appends = pending.map { id, events in
            StreamAppend(stream: StreamName.patient(id), expected: .exact(states[id]!.version - Int64(events.count)), events: events)
        }.sorted { $0.stream < $1.stream }
        let outcomes = zip(items, results).map { Outcome(result: $1, state: states[$0.patientID]!) }
        return (outcomes, appends, states)
    }
}
