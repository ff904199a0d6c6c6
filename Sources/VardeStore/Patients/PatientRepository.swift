import Foundation
import Logging
import Metrics
import VardeCore

/// Runs patient commands. One transaction per batch: lock the patients'
/// streams (advisory locks, in sorted order, so batches never deadlock), bring
/// their states up to date (cache + stream tail), `decide`, write the access
/// log, append with the exact versions decided on. Holding the stream locks
/// while deciding means concurrent batches for the same patients queue
/// instead of conflicting; the version check in `varde_append` stays as the
/// last guard (another process writing without the lock would fail, not
/// overwrite).
public struct PatientRepository: Sendable {
    public let store: EventStore
    private let cache = PatientStateCache()

    public init(store: EventStore) {
        self.store = store
    }

    /// One command for one patient; each item of a batch is judged on its own.
    /// `context` and `metadata`, when set, replace the batch's for this item
    /// (a batch that combines several requests).
    public struct Item: Sendable {
        public var patientID: UUID
        public var command: PatientCommand
        public var context: DecisionContext?
        public var metadata: EventMetadata?

        public init(patientID: UUID, command: PatientCommand, context: DecisionContext? = nil, metadata: EventMetadata? = nil) {
            self.patientID = patientID
            self.command = command
            self.context = context
            self.metadata = metadata
        }
    }

    /// What became of an item: the events it produced (with their envelope ids),
    /// or the domain error that refused it.
    public struct Outcome: Sendable {
        public var result: Result<[(id: UUID, event: PatientEvent)], DomainError>
        /// The state after the whole batch, for this item's patient.
        public var state: PatientState
    }

    public struct Execution: Sendable {
        /// One per item, in order.
        public var outcomes: [Outcome]
        /// The highest position written (0 when nothing was), for read-your-writes.
        public var position: Int64
        /// Every event decided was in the log already (their ids were stored),
        /// so nothing was appended: the decision missed what the log holds.
        /// The ingest decides again on a fresh lookup.
        public var storedAlready = false
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

    /// The current state of one patient, read on a connection the caller holds.
    func state(of id: UUID, on connection: PGConnection) throws -> PatientState {
        let fresh = try connection.refresh([id: cache.get(id) ?? .initial])
        cache.put(fresh)
        return fresh[id] ?? .initial
    }

    /// Runs one command and returns its events, or throws the domain error.
    public func execute(
        _ patientID: UUID, _ command: PatientCommand, context: DecisionContext, metadata: EventMetadata,
        before: (@Sendable (PGConnection) throws -> Void)? = nil
    ) async throws -> (events: [(id: UUID, event: PatientEvent)], state: PatientState, position: Int64) {
        let execution = try await execute(
            [Item(patientID: patientID, command: command)], context: context, metadata: metadata, before: before)
        let outcome = execution.outcomes[0]
        return (try outcome.result.get(), outcome.state, execution.position)
    }

    /// Thrown by an all-or-nothing batch when an item is refused: nothing was stored.
    public struct Refused: Error, Sendable {
        public var index: Int
        public var error: DomainError
    }

    /// Decides and appends a batch; `before` runs in the same transaction just
    /// ahead of the append (the access log of a change), and `writing` goes
    /// with the append in its round trip (the same, for callers that can say
    /// it as statements). Items come back in order. With `allOrNothing`, the
    /// first refused item aborts the batch (`Refused`), decided on the same
    /// locked state the append would use.
    public func execute(
        _ items: [Item], context: DecisionContext, metadata: EventMetadata, allOrNothing: Bool = false,
        writing: [PGConnection.Statement] = [], before: (@Sendable (PGConnection) throws -> Void)? = nil
    ) async throws -> Execution {
        // A version conflict under the stream locks means a cached state ran
        // ahead of the log (an append whose commit was lost with a database
        // restart): the cache entries are gone by now, so deciding again on
        // the streams as stored is right, once.
        let run = {
            try await store.database.withConnection {
                try self.executeSync(
                    items, context: context, metadata: metadata, allOrNothing: allOrNothing, on: $0, writing: writing, before: before)
            }
        }
        do {
            return try await run()
        } catch AppendError.versionConflict {
            return try await run()
        }
    }

    /// The same on a connection the caller holds (the sweep, under its lock).
    /// Two round trips when `before` is nil: BEGIN, the stream locks and the
    /// streams' tails; then `writing`, the append, COMMIT and the durability
    /// barrier.
    public func executeSync(
        _ items: [Item], context: DecisionContext, metadata: EventMetadata, allOrNothing: Bool = false,
        on connection: PGConnection, writing: [PGConnection.Statement] = [],
        before: (@Sendable (PGConnection) throws -> Void)? = nil
    ) throws -> Execution {
        let ids = Set(items.map(\.patientID))
        let known = Dictionary(uniqueKeysWithValues: ids.map { ($0, cache.get($0) ?? .initial) })
        do {
            // The tails are read after the locks are granted (each statement
            // of a pipeline has its own snapshot), so they are complete.
            let opening = [
                PGConnection.Statement(
                    "SELECT pg_advisory_xact_lock(hashtextextended(s, 0)) FROM unnest($1::text[]) AS s ORDER BY s",
                    [PGArray.text(ids.map(StreamName.patient))]),
                PGConnection.refreshStatement(known),
            ]
            let (execution, after) = try connection.transaction(opening: opening) { c, opened in
                let states = try PGConnection.refreshed(known, by: opened[1])
                let (outcomes, appends, after) = Self.decideAll(items, states: states, context: context, metadata: metadata)
                if allOrNothing, let index = outcomes.firstIndex(where: { if case .failure = $0.result { true } else { false } }),
                    case .failure(let error) = outcomes[index].result
                {
                    throw Refused(index: index, error: error)
                }
                try before?(c)
                let started = ContinuousClock.now
                let appended = try c.append(appends, commit: true, preceding: writing)
                Timer(label: "varde_append_seconds").record(duration: ContinuousClock.now - started)
                let storedAlready = appended.contains(where: \.duplicate)
                return (
                    Execution(
                        outcomes: outcomes, position: storedAlready ? 0 : appended.map(\.position).max() ?? 0, storedAlready: storedAlready),
                    after
                )
            }
            // States that folded events the append did not write are not the log's.
            if execution.storedAlready { cache.remove(ids) } else { cache.put(after) }
            return execution
        } catch {
            cache.remove(ids)
            throw error
        }
    }

    static func decideAll(
        _ items: [Item], states: [UUID: PatientState], context: DecisionContext, metadata: EventMetadata
    ) -> ([Outcome], [StreamAppend], [UUID: PatientState]) {
        var states = states
        var versions = states.mapValues(\.version)
        var pending: [UUID: [NewEvent]] = [:]
        var results: [Result<[(id: UUID, event: PatientEvent)], DomainError>] = []
        for item in items {
            // Taken out of the dictionary so that applying events mutates it in
            // place instead of copying its history.
            var state = states.removeValue(forKey: item.patientID)!
            defer { states[item.patientID] = state }
            do {
                let events = try Patient.decide(state: state, command: item.command, context: item.context ?? context)
                let causation = events.first?.requiredEventID
                var enveloped: [(id: UUID, event: PatientEvent)] = []
                for event in events {
                    let id = event.requiredEventID ?? UUID()
                    var meta = item.metadata ?? metadata
                    if let causation, id != causation { meta.causationID = causation }
                    pending[item.patientID, default: []].append(
                        NewEvent(id: id, type: event.type, schemaVersion: event.schemaVersion, data: event.encode(), metadata: meta))
                    enveloped.append((id, event))
                    state.apply(event)
                }
                results.append(.success(enveloped))
            } catch {
                results.append(.failure(error))
            }
        }
        let appends = pending.map { id, events in
            StreamAppend(stream: StreamName.patient(id), expected: .exact(versions.removeValue(forKey: id)!), events: events)
        }.sorted { $0.stream < $1.stream }
        let outcomes = zip(items, results).map { Outcome(result: $1, state: states[$0.patientID]!) }
        return (outcomes, appends, states)
    }
}
