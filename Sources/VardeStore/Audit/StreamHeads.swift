import Foundation
import VardeCore

/// The last event of each stream as a verification found it. A hash chain
/// cannot show that a stream's last events were deleted (what is left is
/// still a valid chain); heads recorded somewhere else can: `check` finds
/// each recorded head's version still there with the same hash. A stream
/// may have grown since; the event at the recorded version must still carry
/// the recorded hash, and the chain links every later event to it.
public struct StreamHeads: Sendable, Codable, Equatable {
    public struct Head: Sendable, Codable, Equatable {
        public var stream: String
        public var version: Int64
        /// The stored hash of that event, lowercase hex.
        public var hash: String

        public init(stream: String, version: Int64, hash: String) {
            self.stream = stream
            self.version = version
            self.hash = hash
        }
    }

    /// The log's last position once the heads were taken: every head lies at or before it.
    public var position: Int64
    public var streams: [Head]

    public init(position: Int64, streams: [Head]) {
        self.position = position
        self.streams = streams
    }

    /// Heads from a `varde verify --json` report or the heads alone; nil
    /// when `data` is neither.
    public static func decode(_ data: Data) -> StreamHeads? {
        struct Report: Decodable { var heads: StreamHeads }
        if let report = try? JSONDecoder().decode(Report.self, from: data) { return report.heads }
        return try? JSONDecoder().decode(StreamHeads.self, from: data)
    }

    /// The head of `stream` alone (none when it has none here).
    public func only(_ stream: String) -> StreamHeads {
        StreamHeads(position: position, streams: streams.filter { $0.stream == stream })
    }

    /// The recorded heads that the log no longer holds: `truncated` when no
    /// event has that version any more, `headChanged` when the event there
    /// carries another hash.
    public func check(_ c: PGConnection) throws -> [ChainVerifier.Break] {
        let heads = streams
        var breaks: [ChainVerifier.Break] = []
        for start in stride(from: 0, to: heads.count, by: 10_000) {
            let chunk = Array(heads[start..<min(start + 10_000, heads.count)])
            let r = try c.query(
                """
                SELECT h.i, encode(e.hash, 'hex'), e.event_id FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS h(stream, version, i)
                LEFT JOIN events e ON e.stream_id = h.stream AND e.version = h.version ORDER BY h.i
                """, [PGArray.text(chunk.map(\.stream)), "{" + chunk.map { String($0.version) }.joined(separator: ",") + "}"])
            for row in 0..<r.rowCount {
                let head = chunk[Int(try r.requireInt(row, 0)) - 1]
                if let hash = r.string(row, 1) {
                    if hash != head.hash.lowercased() {
                        breaks.append(.init(stream: head.stream, version: head.version, eventId: r.string(row, 2), kind: .headChanged))
                    }
                } else {
                    breaks.append(.init(stream: head.stream, version: head.version, eventId: nil, kind: .truncated))
                }
            }
        }
        return breaks
    }
}
