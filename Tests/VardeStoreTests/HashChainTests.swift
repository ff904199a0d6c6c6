import Foundation
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

@Suite("Event store: hash chain")
struct HashChainTests {
    @Test("Swift recomputes the chain PostgreSQL wrote, and a changed byte breaks it")
    func chainMatches() async throws {
        try await TestDatabase.with { database, _ in
            let store = EventStore(database: database)
            let stream = Fixture.stream()
            _ = try await store.append(to: stream, expected: .noStream, [Fixture.event(body: #"{"b": [1, 2.5], "a": "æ"}"#)])
            _ = try await store.append(to: stream, expected: .exact(1), [Fixture.event(), Fixture.event()])
            let rows = try await database.withConnection { connection in
                try connection.query(
                    """
                    SELECT stream_id, version, event_id, type, schema_version,
                           (extract(epoch FROM recorded_at) * 1000000)::bigint, data::text, metadata::text, hash
                    FROM events ORDER BY version
                    """)
            }
            var previous = HashChain.genesis
            for row in 0..<rows.rowCount {
                func recompute(data: String) -> [UInt8] {
                    Array(data.utf8).withUnsafeBufferPointer { d in
                        Array(rows.string(row, 7)!.utf8).withUnsafeBufferPointer { m in
                            HashChain.hash(
                                previous: previous, stream: rows.string(row, 0)!, version: rows.int(row, 1)!,
                                id: rows.string(row, 2)!, type: rows.string(row, 3)!, schemaVersion: rows.int(row, 4)!,
                                recordedMicros: rows.int(row, 5)!, data: d, metadata: m)
                        }
                    }
                }
                let stored = rows.bytes(row, 8)!
                #expect(recompute(data: rows.string(row, 6)!) == stored)
                #expect(recompute(data: rows.string(row, 6)! + " ") != stored)
                previous = stored
            }
        }
    }
}
