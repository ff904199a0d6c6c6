import Foundation
import VardeCore

/// An event the projector cannot read (a newer version wrote it, or it was
/// damaged): the page fails and the read models stop there until it can be
/// read or an operator skips it (`varde projections skip`). The description
/// names the event, never its data.
public struct UndecodableEvent: Error, Sendable, CustomStringConvertible {
    public var position: Int64
    public var stream: String
    public var type: String
    public var schemaVersion: Int

    public var description: String {
        "the event at position \(position) (\(type) v\(schemaVersion), stream \(stream)) cannot be read by this version: "
            + "deploy a version that reads it, or skip it after checking (`varde projections skip --position \(position) --reason …`)"
    }
}

extension PGConnection {
    /// Which of `positions` an operator decided the projector skips.
    func projectionSkips(_ positions: [Int64]) throws -> Set<Int64> {
        let r = try query(
            "SELECT position FROM projection_skips WHERE position = ANY($1::bigint[])",
            ["{" + positions.map(String.init).joined(separator: ",") + "}"])
        return Set(try r.rows { try r.requireInt($0, 0) })
    }

    /// Every skipped position (a rebuild reads them once).
    func allProjectionSkips() throws -> Set<Int64> {
        let r = try query("SELECT position FROM projection_skips")
        return Set(try r.rows { try r.requireInt($0, 0) })
    }
}

/// An operator's decision to let the projector pass over one event.
public struct ProjectionSkip: Sendable {
    public var position: Int64
    public var eventID: UUID
    public var reason: String
    public var decidedBy: String
    public var decidedAt: Date
}

extension Database {
    /// Records that the projector skips the event at `position`. Refused
    /// unless that event exists and this version cannot read it: a readable
    /// event is never skipped.
    public func skipProjection(at position: Int64, reason: String, by: String) async throws -> ProjectionSkip {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw DomainError.invalid(field: "--reason", reason: "say why the event is skipped") }
        return try await transaction { c in
            let r = try c.query("SELECT \(PGConnection.eventColumns) FROM events WHERE position = $1", [position])
            guard let event = try PGConnection.decodeEvents(r).first else { throw DomainError.notFound("event at position \(position)") }
            do {
                _ = try Projector.decode([ProjectionEvent(event)])
                throw DomainError.conflict("the event at position \(position) can be read by this version; it is not skipped")
            } catch is UndecodableEvent {}
            let saved = try c.query(
                """
                INSERT INTO projection_skips (position, event_id, reason, decided_by) VALUES ($1, $2, $3, $4)
                ON CONFLICT (position) DO NOTHING
                RETURNING (extract(epoch FROM decided_at) * 1000000)::bigint
                """, [position, event.id, reason, by])
            guard saved.rowCount == 1 else { throw DomainError.conflict("the event at position \(position) is skipped already") }
            return ProjectionSkip(
                position: position, eventID: event.id, reason: reason, decidedBy: by,
                decidedAt: Timestamp.fromMicros(try saved.requireInt(0, 0)))
        }
    }

    public func projectionSkips() async throws -> [ProjectionSkip] {
        try await withConnection { c in
            let r = try c.query(
                """
                SELECT position, event_id, reason, decided_by, (extract(epoch FROM decided_at) * 1000000)::bigint
                FROM projection_skips ORDER BY position
                """)
            return try r.rows {
                ProjectionSkip(
                    position: try r.requireInt($0, 0), eventID: try r.requireUUID($0, 1), reason: try r.requireString($0, 2),
                    decidedBy: try r.requireString($0, 3), decidedAt: Timestamp.fromMicros(try r.requireInt($0, 4)))
            }
        }
    }
}
