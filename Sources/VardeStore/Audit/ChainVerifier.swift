import Foundation
import VardeCore

/// Recomputes every stream's hash chain from the stored rows and finds the
/// first broken link per stream: a changed event (hash mismatch) or a missing
/// one (a gap in the versions, or a stream that does not start at 1). It also
/// notes every stream's head (last version and its hash): a chain cannot show
/// that its last events were deleted, the heads recorded earlier can
/// (`StreamHeads.check`).
public struct ChainVerifier: Sendable {
    public struct Break: Sendable, Equatable, Codable, CustomStringConvertible {
        /// `truncated` and `headChanged` come from checking recorded heads
        /// (`StreamHeads.check`): the recorded head's version is gone, or the
        /// event at that version carries another hash.
        public enum Kind: String, Sendable, Codable { case altered, gap, truncated, headChanged }
        public var stream: String
        public var version: Int64
        public var eventId: String?
        public var kind: Kind
        public var description: String {
            switch kind {
            case .altered: "\(stream) version \(version) (event \(eventId ?? "?")): hash does not match its contents"
            case .gap: "\(stream): version \(version) is missing"
            case .truncated: "\(stream): version \(version), a recorded head, is gone"
            case .headChanged: "\(stream) version \(version) (event \(eventId ?? "?")): hash differs from the recorded head"
            }
        }
    }

    public struct Result: Sendable {
        public var streams = 0
        public var events = 0
        public var breaks: [Break] = []
        /// Every stream walked, its last version and that event's stored hash.
        public var heads: [StreamHeads.Head] = []
    }

    public init() {}

    /// Walks the log in (stream, version) order, one page per query.
    /// `stream` limits the walk to one stream; `progress` gets the events done.
    public func verify(_ c: PGConnection, stream only: String? = nil, pageSize: Int = 10_000, progress: (Int) -> Void = { _ in }) throws
        -> Result
    {
        var result = Result()
        var cursor = (stream: only ?? "", version: Int64(0))
        var current: (stream: String, version: Int64, hash: [UInt8], broken: Bool)?
        var last: (stream: String, version: Int64, hash: [UInt8])?
        while true {
            let rows = try c.query(
                """
                SELECT stream_id, version, event_id, type, schema_version,
                       (extract(epoch FROM recorded_at) * 1000000)::bigint, data::text, metadata::text, hash
                FROM events WHERE (stream_id, version) > ($1, $2) AND ($3::text IS NULL OR stream_id = $3)
                ORDER BY stream_id, version LIMIT $4
                """, [cursor.stream, cursor.version, only, pageSize])
            if rows.rowCount == 0 { break }
            for row in 0..<rows.rowCount {
                let stream = try rows.requireString(row, 0), version = try rows.requireInt(row, 1)
                if current?.stream != stream {
                    current = (stream, 0, HashChain.genesis, false)
                    result.streams += 1
                    if let last {
                        result.heads.append(StreamHeads.Head(stream: last.stream, version: last.version, hash: Hex.encode(last.hash)))
                    }
                }
                result.events += 1
                let stored = rows.bytes(row, 8) ?? []
                last = (stream, version, stored)
                guard !current!.broken else { continue }
                if version != current!.version + 1 {
                    result.breaks.append(Break(stream: stream, version: current!.version + 1, eventId: nil, kind: .gap))
                    current!.broken = true
                    continue
                }
                let (id, type) = (try rows.requireString(row, 2), try rows.requireString(row, 3))
                let (schemaVersion, recorded, previous) = (try rows.requireInt(row, 4), try rows.requireInt(row, 5), current!.hash)
                let computed = rows.withBytes(row, 6) { data in
                    rows.withBytes(row, 7) { metadata in
                        HashChain.hash(
                            previous: previous, stream: stream, version: version, id: id, type: type, schemaVersion: schemaVersion,
                            recordedMicros: recorded, data: data, metadata: metadata)
                    }
                }
                if computed != stored {
                    result.breaks.append(Break(stream: stream, version: version, eventId: rows.string(row, 2), kind: .altered))
                    current!.broken = true
                }
                current!.version = version
                current!.hash = stored
            }
            cursor = (try rows.requireString(rows.rowCount - 1, 0), try rows.requireInt(rows.rowCount - 1, 1))
            progress(result.events)
        }
        if let last { result.heads.append(StreamHeads.Head(stream: last.stream, version: last.version, hash: Hex.encode(last.hash))) }
        return result
    }
}
