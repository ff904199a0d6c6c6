import Foundation
import Testing
import VardeTestSupport

@testable import VardeStore

/// Statements with parameters run as prepared statements of their session
/// (`PGConnection.send`): prepared once per connection, in the pipeline that
/// first uses them.
@Suite("Prepared statements")
struct PreparedStatementTests {
    static func preparedCount(_ c: PGConnection) throws -> Int64 {
        try c.query("SELECT count(*) FROM pg_prepared_statements").requireInt(0, 0)
    }

    @Test("a statement is prepared once per session and then reused, also twice in one pipeline")
    func preparedOnce() async throws {
        try await TestDatabase.with { database, _ in
            try await database.withConnection { c in
                let before = try Self.preparedCount(c)
                let sql = "SELECT $1::int + 1"
                for i in 0..<3 { #expect(try c.query(sql, [i]).requireInt(0, 0) == Int64(i + 1)) }
                #expect(try Self.preparedCount(c) == before + 1)
                let results = try c.pipeline([.init("SELECT $1::text || 'b'", ["a"]), .init("SELECT $1::text || 'b'", ["c"])])
                #expect(results.map { $0.string(0, 0) } == ["ab", "cb"])
                #expect(try Self.preparedCount(c) == before + 2)
            }
        }
    }

    @Test("a statement that cannot be prepared fails with its own error, and the session goes on")
    func badStatement() async throws {
        try await TestDatabase.with { database, _ in
            try await database.withConnection { c in
                #expect(throws: PGError.self) { try c.query("SELECT $1::int FROM no_such_table", [1]) }
                do {
                    _ = try c.pipeline([.init("SELECT $1::int", [1]), .init("SELEC $1", [2]), .init("SELECT $1::int * 3", [3])])
                    Issue.record("a syntax error was accepted")
                } catch let error as PGError {
                    #expect(error.sqlState == "42601")
                }
                // The statement skipped after the failure was not prepared: it runs now.
                #expect(try c.query("SELECT $1::int * 3", [3]).requireInt(0, 0) == 9)
                #expect(try c.query("SELECT $1::int", [4]).requireInt(0, 0) == 4)
            }
        }
    }

    @Test("a prepared statement follows its table when the table is replaced (the rebuild's swap)")
    func tableReplaced() async throws {
        try await TestDatabase.with { database, schema in
            try await database.withConnection { c in
                try c.execute("CREATE TABLE swapped (n int); INSERT INTO swapped VALUES (1)")
                let sql = "SELECT sum(n) FROM swapped WHERE n > $1"
                #expect(try c.query(sql, [0]).requireInt(0, 0) == 1)
                try c.execute(
                    """
                    CREATE SCHEMA \(schema)_other; CREATE TABLE \(schema)_other.swapped (n int); INSERT INTO \(schema)_other.swapped VALUES (5), (6);
                    DROP TABLE swapped; ALTER TABLE \(schema)_other.swapped SET SCHEMA \(schema); DROP SCHEMA \(schema)_other
                    """)
                #expect(try c.query(sql, [0]).requireInt(0, 0) == 11)
            }
        }
    }
}
