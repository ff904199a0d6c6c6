import Foundation
import VardeCore

extension PGConnection {
    /// Appends through `varde_append` in one statement. Inside a transaction,
    /// make this the last statement before COMMIT: it holds the position lock.
    /// The transaction then commits without waiting for the disk, releasing
    /// the position lock at once; `transaction` waits for the flush before it
    /// returns (`commitAsynchronously`), so an append is durable when acknowledged.
    ///
    /// With `commit`, the open transaction is committed, and the commit made
    /// durable, in the same round trip (`queryThenCommit`): use it when the
    /// append is the transaction's last statement, as `EventStore` and
    /// `PatientRepository` do.
    ///
    /// `preceding` statements run first, in the same round trip (only with
    /// `commit`; with nothing to append they run on their own).
    public func append(_ appends: [StreamAppend], commit: Bool = false, preceding: [Statement] = []) throws -> [AppendedEvent] {
        precondition(commit || preceding.isEmpty, "preceding statements go with a committing append")
        guard appends.contains(where: { !$0.events.isEmpty }) else {
            if !preceding.isEmpty { try pipeline(preceding) }
            return []
        }
        let batch = try Self.encodeBatch(appends)
        let result: PGResult
        do {
            let sql = "SELECT event_id, stream_id, version, position, duplicate FROM varde_append($1::jsonb)"
            if commit {
                result = try queryThenCommit(sql, [batch], preceding: preceding)
            } else {
                try commitAsynchronously()
                result = try query(sql, [batch])
            }
        } catch {
            switch error.sqlState {
            case "VAVER": throw Self.versionConflict(error, appends)
            case "VADUP": throw AppendError.partialDuplicate
            default: throw error
            }
        }
        return try (0..<result.rowCount).map { row in
            AppendedEvent(
                id: UUID(uuidString: try result.requireString(row, 0))!,
                stream: try result.requireString(row, 1),
                version: try result.requireInt(row, 2),
                position: try result.requireInt(row, 3),
                duplicate: result.bool(row, 4) ?? false)
        }
    }

    private static func versionConflict(_ error: PGError, _ appends: [StreamAppend]) -> AppendError {
        struct Detail: Decodable {
            var stream: String
            var expected: Int64
            var actual: Int64
        }
        let detail = error.detail.flatMap { try? JSONDecoder().decode(Detail.self, from: Data($0.utf8)) }
        let expected = appends.first { $0.stream == detail?.stream }?.expected ?? .any
        return .versionConflict(stream: detail?.stream ?? "", expected: expected, actual: detail?.actual ?? -1)
    }

    /// The JSON `varde_append` takes. Event bodies are spliced in as they are
    /// (already JSON), so they are not decoded and re-encoded on the way; a
    /// metadata block shared by consecutive events (one request's) is encoded once.
    static func encodeBatch(_ appends: [StreamAppend]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let appends = appends.filter { !$0.events.isEmpty }
        var metadata: [String] = []
        var last: (metadata: EventMetadata, json: String)?
        for event in appends.lazy.flatMap(\.events) {
            if last?.metadata != event.metadata {
                last = (event.metadata, String(decoding: try encoder.encode(event.metadata), as: UTF8.self))
            }
            metadata.append(last!.json)
        }
        var next = metadata.makeIterator()
        var out = JSONWriter(capacity: metadata.count * 512)
        out.array(appends) { out, append in
            out.object { out in
                out.key("stream")
                out.string(append.stream)
                out.key("expected")
                out.number(append.expected.sqlValue)
                out.key("events")
                out.array(append.events) { out, event in
                    out.object { out in
                        out.key("id")
                        out.uuid(event.id)
                        out.key("type")
                        out.string(event.type)
                        out.key("schemaVersion")
                        out.number(event.schemaVersion)
                        out.key("data")
                        out.raw(String(decoding: event.data, as: UTF8.self))
                        out.key("metadata")
                        out.raw(next.next()!)
                    }
                }
            }
        }
        return out.text
    }
}
