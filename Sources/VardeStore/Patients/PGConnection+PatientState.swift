import Foundation
import VardeCore

extension PGConnection {
    /// Brings each given state up to date with its stream in one query: the
    /// events after the state's version, folded in order.
    func refresh(_ states: [UUID: PatientState]) throws -> [UUID: PatientState] {
        guard !states.isEmpty else { return [:] }
        let ids = Array(states.keys)
        let result = try query(
            """
            SELECT \(Self.eventColumns) FROM events e
            JOIN unnest($1::text[], $2::bigint[]) AS s(stream, after) ON e.stream_id = s.stream AND e.version > s.after
            ORDER BY e.stream_id, e.version
            """,
            [PGArray.text(ids.map(StreamName.patient)), "{" + ids.map { String(states[$0]!.version) }.joined(separator: ",") + "}"])
        var fresh = states
        for event in try Self.decodeEvents(result) {
            guard let id = StreamName.id(of: event.stream) else { continue }
            fresh[id]!.apply(try PatientEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data))
        }
        return fresh
    }
}
