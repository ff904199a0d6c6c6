import Foundation
import VardeCore

extension PGConnection {
    /// Brings each given state up to date with its stream in one query: the
    /// events after the state's version, folded in order. One index range per
    /// stream (a LATERAL subquery that `OFFSET 0` keeps
    /// from being flattened into a join): planned as a join, the query
    /// chose a scan of the whole log whenever the statistics lagged behind
    /// its growth, and a call cost more the longer the log.
    func refresh(_ states: [UUID: PatientState]) throws -> [UUID: PatientState] {
        guard !states.isEmpty else { return [:] }
        return try Self.refreshed(states, by: query(Self.refreshStatement(states)))
    }

    /// The query `refresh` runs, for sending in a pipeline.
    static func refreshStatement(_ states: [UUID: PatientState]) -> Statement {
        let ids = Array(states.keys)
        return Statement(
            """
            SELECT e.* FROM unnest($1::text[], $2::bigint[]) AS s(stream, after)
            CROSS JOIN LATERAL (
                SELECT \(Self.eventColumns) FROM events
                WHERE stream_id = s.stream AND version > s.after ORDER BY version OFFSET 0
            ) e
            ORDER BY e.stream_id, e.version
            """,
            [PGArray.text(ids.map(StreamName.patient)), "{" + ids.map { String(states[$0]!.version) }.joined(separator: ",") + "}"])
    }

    /// The states with the events `refreshStatement` returned folded in. A
    /// patient whose history holds an event this version cannot read cannot
    /// be decided on: `UndecodableEvent` (a 503 to a client, an error in the log).
    static func refreshed(_ states: [UUID: PatientState], by result: PGResult) throws -> [UUID: PatientState] {
        var fresh = states
        for event in try decodeEvents(result) {
            guard let id = StreamName.id(of: event.stream) else { continue }
            do {
                fresh[id]!.apply(try PatientEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data))
            } catch {
                throw UndecodableEvent(position: event.position, stream: event.stream, type: event.type, schemaVersion: event.schemaVersion)
            }
        }
        return fresh
    }
}
