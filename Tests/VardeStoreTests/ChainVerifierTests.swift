import Foundation
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

/// Tampering behind the append-only guard (as the owner, triggers disabled)
/// is found by recomputing the hash chains: the exact stream, version and
/// event of a changed row, the missing version of a deleted one.
@Suite("Audit: hash chain verification")
struct ChainVerifierTests {
    /// Three streams of five events each, appended in interleaved batches; returns the streams.
    static func seed(_ store: EventStore) async throws -> [String] {
        let streams = (0..<3).map { _ in Fixture.stream() }
        for round in 0..<5 {
            for (n, stream) in streams.enumerated() {
                _ = try await store.append(
                    to: stream, expected: round == 0 ? .noStream : .exact(Int64(round)),
                    [Fixture.event(body: #"{"n": \#(round), "s": \#(n), "note": "ø"}"#)])
            }
        }
        return streams
    }

    /// Runs `sql` with the append-only trigger disabled, as the table owner can.
    static func tamper(_ database: Database, _ sql: String, _ parameters: [(any PGParameter)?]) async throws {
        try await database.withConnection { c in
            try c.execute("ALTER TABLE events DISABLE TRIGGER events_no_update_delete")
            let changed = try c.query(sql + " RETURNING 1", parameters).rowCount
            try c.execute("ALTER TABLE events ENABLE TRIGGER events_no_update_delete")
            #expect(changed == 1, "tampering touched \(changed) rows")
        }
    }

    static func eventID(_ database: Database, _ stream: String, _ version: Int64) async throws -> String {
        try await database.withConnection {
            try $0.query("SELECT event_id FROM events WHERE stream_id = $1 AND version = $2", [stream, version]).requireString(0, 0)
        }
    }

    static func verify(_ database: Database, stream: String? = nil, pageSize: Int = 10_000) async throws -> ChainVerifier.Result {
        try await database.withConnection { try ChainVerifier().verify($0, stream: stream, pageSize: pageSize) }
    }

    @Test("an intact log verifies clean, whatever the page size")
    func intact() async throws {
        try await TestDatabase.with { database, _ in
            let streams = try await Self.seed(EventStore(database: database))
            for pageSize in [1, 4, 10_000] {
                let result = try await Self.verify(database, pageSize: pageSize)
                #expect(result.breaks.isEmpty, "page size \(pageSize): \(result.breaks)")
                #expect((result.streams, result.events) == (3, 15), "page size \(pageSize)")
            }
            let one = try await Self.verify(database, stream: streams[1])
            #expect((one.streams, one.events, one.breaks.isEmpty) == (1, 5, true))
        }
    }

    @Test("a changed event body is named by stream, version and event id; other streams stay clean")
    func alteredData() async throws {
        try await TestDatabase.with { database, _ in
            let streams = try await Self.seed(EventStore(database: database))
            let id = try await Self.eventID(database, streams[1], 3)
            try await Self.tamper(
                database,
                """
                UPDATE events SET data = jsonb_set(data, '{n}', '99') WHERE stream_id = $1 AND version = 3
                """, [streams[1]])
            for pageSize in [2, 10_000] {
                let result = try await Self.verify(database, pageSize: pageSize)
                #expect(result.breaks.map(\.key) == ["\(streams[1]) 3 \(id) altered"], "page size \(pageSize)")
                #expect(result.events == 15)
            }
            #expect(try await Self.verify(database, stream: streams[0]).breaks.isEmpty)
            #expect(try await Self.verify(database, stream: streams[1]).breaks.map(\.version) == [3])
        }
    }

    @Test(
        "a changed actor, type or recorded time is found too",
        arguments: [
            "UPDATE events SET metadata = jsonb_set(metadata, '{actor}', '\"someone-else\"') WHERE stream_id = $1 AND version = 2",
            "UPDATE events SET type = 'Renamed' WHERE stream_id = $1 AND version = 2",
            "UPDATE events SET recorded_at = recorded_at - interval '1 hour' WHERE stream_id = $1 AND version = 2",
        ])
    func alteredEnvelope(sql: String) async throws {
        try await TestDatabase.with { database, _ in
            let streams = try await Self.seed(EventStore(database: database))
            let id = try await Self.eventID(database, streams[2], 2)
            try await Self.tamper(database, sql, [streams[2]])
            let result = try await Self.verify(database)
            #expect(result.breaks.map(\.key) == ["\(streams[2]) 2 \(id) altered"])
        }
    }

    @Test("a re-hashed changed row breaks the link to the next event")
    func rehashed() async throws {
        try await TestDatabase.with { database, _ in
            let streams = try await Self.seed(EventStore(database: database))
            let next = try await Self.eventID(database, streams[0], 4)
            try await Self.tamper(
                database,
                """
                UPDATE events SET data = '{"n": 99}', hash = sha256(hash) WHERE stream_id = $1 AND version = 3
                """, [streams[0]])
            let result = try await Self.verify(database)
            // Row 3's own hash no longer matches either; the first broken link is reported.
            #expect(result.breaks.map(\.stream) == [streams[0]])
            #expect(result.breaks.first?.version == 3)
            #expect(next != result.breaks.first?.eventId)
        }
    }

    @Test("a deleted event is named as the gap: its stream and missing version", arguments: [Int64(1), 3])
    func deleted(version: Int64) async throws {
        try await TestDatabase.with { database, _ in
            let streams = try await Self.seed(EventStore(database: database))
            try await Self.tamper(database, "DELETE FROM events WHERE stream_id = $1 AND version = $2", [streams[2], version])
            let result = try await Self.verify(database, pageSize: 3)
            #expect(result.breaks.map(\.key) == ["\(streams[2]) \(version) - gap"])
            #expect(result.breaks.first?.description.contains("version \(version) is missing") == true)
            #expect(result.events == 14)
        }
    }
}

extension ChainVerifier.Break {
    /// Stream, version, event id (or `-`) and kind, for comparing whole breaks.
    var key: String { "\(stream) \(version) \(eventId ?? "-") \(kind)" }
}
