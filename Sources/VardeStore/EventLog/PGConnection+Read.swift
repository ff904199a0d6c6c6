import Foundation
import VardeCore

extension PGConnection {
    static let eventColumns = """
        position, stream_id, version, event_id, type, schema_version, data::text, metadata::text,
        (extract(epoch FROM recorded_at) * 1000000)::bigint, hash
        """

    /// The highest committed position (0 for an empty log).
    public func headPosition() throws -> Int64 {
        try query("SELECT coalesce(max(position), 0) FROM events").requireInt(0, 0)
    }

    /// A stream forward from `version` (inclusive) through `last`.
    public func readStream(_ stream: String, from version: Int64 = 1, through last: Int64 = .max) throws -> [RecordedEvent] {
        let result = try query(
            "SELECT \(Self.eventColumns) FROM events WHERE stream_id = $1 AND version >= $2 AND version <= $3 ORDER BY version",
            [stream, version, last])
        return try Self.decodeEvents(result)
    }

    /// The whole log forward from after `position`, in global order, one page.
    /// Safe to follow page by page: positions become visible in commit order.
    public func readAll(after position: Int64, limit: Int, types: [String]? = nil) throws -> [RecordedEvent] {
        let result: PGResult
        if let types {
            result = try query(
                "SELECT \(Self.eventColumns) FROM events WHERE position > $1 AND type = ANY($3::text[]) ORDER BY position LIMIT $2",
                [position, limit, PGArray.text(types)])
        } else {
            result = try query(
                "SELECT \(Self.eventColumns) FROM events WHERE position > $1 ORDER BY position LIMIT $2",
                [position, limit])
        }
        return try Self.decodeEvents(result)
    }

    static func decodeEvents(_ result: PGResult) throws -> [RecordedEvent] {
        var events = [RecordedEvent]()
        events.reserveCapacity(result.rowCount)
        for row in 0..<result.rowCount {
            let metadata = try result.withBytes(row, 7) { try EventMetadata.decode(Data($0)) }
            events.append(
                RecordedEvent(
                    position: try result.requireInt(row, 0),
                    stream: try result.requireString(row, 1),
                    version: try result.requireInt(row, 2),
                    id: try result.requireUUID(row, 3),
                    type: try result.requireString(row, 4),
                    schemaVersion: Int(try result.requireInt(row, 5)),
                    data: result.withBytes(row, 6) { Data($0) },
                    metadata: metadata,
                    recordedAt: Timestamp.fromMicros(try result.requireInt(row, 8)),
                    hash: result.bytes(row, 9) ?? []))
        }
        return events
    }
}
