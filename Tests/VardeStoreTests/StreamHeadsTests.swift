import Foundation
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

/// Deleting a stream's last event leaves a valid chain; the heads an earlier
/// `varde verify --json` recorded find it (`varde verify --heads`).
@Suite("Audit: recorded stream heads")
struct StreamHeadsTests {
    /// Three streams of three events each (not patient streams: the projector and the alert rules skip them).
    static func seed(_ store: EventStore) async throws -> [String] {
        let streams = (0..<3).map { _ in "ledger-\(UUID().uuidString.lowercased())" }
        for stream in streams {
            for n in 0..<3 {
                _ = try await store.append(
                    to: stream, expected: n == 0 ? .noStream : .exact(Int64(n)), [Fixture.event(body: #"{"n": \#(n)}"#)])
            }
        }
        return streams
    }

    static func verify(_ database: Database, stream: String? = nil, heads: StreamHeads? = nil) async throws -> Verification.Report {
        try await Verification(database: database, logger: TestDatabase.logger).run(stream: stream, heads: heads)
    }

    /// The heads as `varde verify --json` prints them and `--heads` reads them back.
    static func recorded(_ report: Verification.Report) throws -> StreamHeads {
        try #require(StreamHeads.decode(try JSONEncoder().encode(report)))
    }

    @Test("the report lists each stream's last version and hash; a report or the heads alone read back the same")
    func recordedHeads() async throws {
        try await TestDatabase.with { database, _ in
            let streams = try await Self.seed(EventStore(database: database))
            let report = try await Self.verify(database)
            let hashes = try await database.withConnection { c in
                let r = try c.query("SELECT stream_id, encode(hash, 'hex') FROM events WHERE version = 3 ORDER BY stream_id")
                return (0..<r.rowCount).map { StreamHeads.Head(stream: r.string($0, 0)!, version: 3, hash: r.string($0, 1)!) }
            }
            #expect(report.heads.streams == hashes)
            #expect(report.heads.streams.map(\.stream) == streams.sorted())
            #expect(report.heads.position == (try await database.withConnection { try $0.headPosition() }))
            #expect(try Self.recorded(report) == report.heads)
            #expect(StreamHeads.decode(try JSONEncoder().encode(report.heads)) == report.heads)
            #expect(StreamHeads.decode(Data(#"{"streams": 3}"#.utf8)) == nil)
        }
    }

    @Test("a deleted last event passes the chain alone; with the recorded heads it is named by stream and version")
    func truncated() async throws {
        try await TestDatabase.with { database, _ in
            let streams = try await Self.seed(EventStore(database: database))
            let heads = try Self.recorded(try await Self.verify(database))
            try await ChainVerifierTests.tamper(database, "DELETE FROM events WHERE stream_id = $1 AND version = 3", [streams[1]])

            let alone = try await Self.verify(database)
            #expect(alone.passed && alone.chainBreaks.isEmpty && alone.headsChecked == nil)
            let checked = try await Self.verify(database, heads: heads)
            #expect(!checked.passed)
            #expect(checked.chainBreaks.map(\.key) == ["\(streams[1]) 3 - truncated"])
            #expect(checked.headsChecked == 3)
            #expect(checked.chainBreaks.first?.description.contains("version 3, a recorded head, is gone") == true)
            // One stream's verification checks that stream's head only (its alert check
            // fails here: these are no patient events).
            let intact = try await Self.verify(database, stream: streams[0], heads: heads)
            #expect((intact.chainBreaks.isEmpty, intact.headsChecked) == (true, 1))
            let one = try await Self.verify(database, stream: streams[1], heads: heads)
            #expect((one.chainBreaks.map(\.key), one.headsChecked) == (["\(streams[1]) 3 - truncated"], 1))
        }
    }

    @Test("a grown stream still passes; a last event deleted and appended anew is a changed head")
    func grownOrRewritten() async throws {
        try await TestDatabase.with { database, _ in
            let store = EventStore(database: database)
            let streams = try await Self.seed(store)
            let heads = try Self.recorded(try await Self.verify(database))
            _ = try await store.append(to: streams[0], expected: .exact(3), [Fixture.event(body: #"{"n": 3}"#)])
            #expect(try await Self.verify(database, heads: heads).passed)

            // The chain is valid again after the rewrite: only the recorded head tells.
            try await ChainVerifierTests.tamper(database, "DELETE FROM events WHERE stream_id = $1 AND version = 3", [streams[2]])
            let replacement = UUID()
            _ = try await store.append(to: streams[2], expected: .exact(2), [Fixture.event(body: #"{"n": 99}"#, id: replacement)])
            #expect(try await Self.verify(database).passed)
            let checked = try await Self.verify(database, heads: heads)
            #expect(checked.chainBreaks.map(\.key) == ["\(streams[2]) 3 \(replacement.lowercasedText) headChanged"])
        }
    }
}
