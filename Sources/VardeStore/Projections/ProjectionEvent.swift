import Foundation
import VardeCore

/// What the projector needs of an event to fold it: no id, metadata, time
/// or hash, so the bulk load reads and decodes only these columns.
struct ProjectionEvent: Sendable {
    var position: Int64
    var stream: String
    var version: Int64
    var type: String
    var schemaVersion: Int
    var data: Data

    init(_ event: RecordedEvent) {
        self.init(
            position: event.position, stream: event.stream, version: event.version, type: event.type,
            schemaVersion: event.schemaVersion, data: event.data)
    }

    init(position: Int64, stream: String, version: Int64, type: String, schemaVersion: Int, data: Data) {
        self.position = position
        self.stream = stream
        self.version = version
        self.type = type
        self.schemaVersion = schemaVersion
        self.data = data
    }
}

extension PGConnection {
    /// Events after `position`, at most `limit`, in position order, through
    /// `last` at the most, as the projector reads them.
    func readForProjection(after position: Int64, limit: Int, through last: Int64 = .max) throws -> [ProjectionEvent] {
        let result = try query(
            """
            SELECT position, stream_id, version, type, schema_version, data::text FROM events
            WHERE position > $1 AND position <= $3 ORDER BY position LIMIT $2
            """, [position, limit, last])
        var events = [ProjectionEvent]()
        events.reserveCapacity(result.rowCount)
        for row in 0..<result.rowCount {
            events.append(
                ProjectionEvent(
                    position: try result.requireInt(row, 0), stream: try result.requireString(row, 1),
                    version: try result.requireInt(row, 2), type: try result.requireString(row, 3),
                    schemaVersion: Int(try result.requireInt(row, 4)), data: result.withBytes(row, 5) { Data($0) }))
        }
        return events
    }
}
