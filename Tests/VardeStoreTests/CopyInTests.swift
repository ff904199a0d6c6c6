import Foundation
import Testing
import VardeCore
import VardeTestSupport

@testable import VardeStore

/// `PGConnection.copyIn` with `CopyBinary`: what the projector uses for
/// readings and feed entries.
@Suite("COPY FROM STDIN")
struct CopyInTests {
    @Test("rows with tabs, newlines, backslashes, NULLs and JSON arrive as sent")
    func roundTrip() async throws {
        try await TestDatabase.with { database, _ in
            try await database.withConnection { c in
                try c.execute("CREATE TABLE copied (t text, n bigint, b boolean, u uuid, j jsonb, i integer, at timestamptz)")
                let id = UUID()
                var copy = CopyBinary(capacity: 256)
                copy.row(fields: 7)
                copy.field("a\tb\nc\\d\re")
                copy.field(Int64(-7))
                copy.field(true)
                copy.field(id)
                var json = JSONWriter()
                json.object { $0.member("x", "tab\there") }
                copy.field(json: json)
                copy.field(Int32(-2))
                copy.field(milliseconds: -1_500)
                var null = JSONWriter()
                null.null()
                copy.row(fields: 7)
                copy.field(nil as String?)
                copy.field(Int64(0))
                copy.field(false)
                copy.field(nil as UUID?)
                copy.field(json: null)
                copy.field(Int32.max)
                copy.field(milliseconds: 1_740_000_000_124)
                #expect(try c.copyIn("COPY copied FROM STDIN (FORMAT binary)", copy.finished) == 2)
                let r = try c.query(
                    "SELECT t, n, b, u, j->>'x', j::text, i, to_char(at, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS') FROM copied ORDER BY n DESC")
                #expect(r.string(0, 0) == nil && r.int(0, 1) == 0 && r.string(0, 2) == "f" && r.string(0, 3) == nil)
                #expect(r.string(0, 5) == "null")
                #expect(r.string(1, 0) == "a\tb\nc\\d\re")
                #expect(r.int(1, 1) == -7)
                #expect(r.string(1, 2) == "t")
                #expect(r.string(1, 3) == id.uuidString.lowercased())
                #expect(r.string(1, 4) == "tab\there")
                #expect(r.int(0, 6) == Int64(Int32.max) && r.int(1, 6) == -2)
                #expect(r.string(0, 7) == "2025-02-19T21:20:00.124" && r.string(1, 7) == "1969-12-31T23:59:58.500")
            }
        }
    }

    @Test("a refused row fails the whole COPY with the server's error; nothing is stored and the connection stays usable")
    func refusedRow() async throws {
        try await TestDatabase.with { database, _ in
            try await database.withConnection { c in
                try c.execute("CREATE TABLE copied (n bigint NOT NULL)")
                var copy = CopyBinary(capacity: 64)
                copy.row(fields: 1)
                copy.field(Int64(1))
                copy.row(fields: 1)
                copy.field(nil as String?)
                do {
                    _ = try c.transaction { try $0.copyIn("COPY copied FROM STDIN (FORMAT binary)", copy.finished) }
                    Issue.record("a NULL in a NOT NULL column was accepted")
                } catch let error as PGError {
                    #expect(error.sqlState == "23502")
                }
                #expect(try c.query("SELECT count(*) FROM copied").requireInt(0, 0) == 0)
                #expect(c.isAlive())
            }
        }
    }
}
