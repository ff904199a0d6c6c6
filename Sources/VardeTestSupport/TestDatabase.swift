import Foundation
import Logging
import VardeStore

/// A real PostgreSQL schema of its own for one test: created, migrated, and
/// dropped afterwards. Connection settings come from `VARDE_TEST_DATABASE_URL`
/// or libpq's `PG*` variables (the test command sets them); there is no
/// fallback that skips: without a database every test fails.
public enum TestDatabase {
    public static var conninfo: String {
        ProcessInfo.processInfo.environment["VARDE_TEST_DATABASE_URL"] ?? ""
    }

    public static let logger: Logger = {
        var logger = Logger(label: "varde.test")
        logger.logLevel = .warning
        return logger
    }()

    /// The roles `sql/roles.sql` creates (deploy/postgres.sh runs it for the
    /// test cluster); the migrations grant them their rights in each schema.
    public static let runtimeRole = "varde_runtime"
    public static let operatorRole = "varde_operator"

    /// A pool on `schema` connecting as `role` instead of the conninfo's user
    /// (who owns the schema and ran its migrations).
    /// Waiting for a free connection is allowed 30 s here (the whole suite
    /// runs at once on a small machine); the server's 2 s is tested on its own.
    public static func database(
        _ schema: String, as role: String, maxConnections: Int = 4, checkoutTimeout: Duration = .seconds(30)
    ) -> Database {
        Database(
            conninfo: conninfo, options: "-c search_path=\(schema)", user: role, maxConnections: maxConnections,
            checkoutTimeout: checkoutTimeout, logger: logger)
    }

    public static func with<T: Sendable>(
        maxConnections: Int = 4,
        _ body: (Database, String) async throws -> T
    ) async throws -> T {
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let admin = Database(conninfo: conninfo, maxConnections: 1, logger: logger)
        try await admin.withConnection { try $0.execute("CREATE SCHEMA \(schema)") }
        let database = Database(
            conninfo: conninfo, options: "-c search_path=\(schema)", maxConnections: maxConnections, checkoutTimeout: .seconds(30),
            logger: logger)
        do {
            let migrations = try Migration.bundled(), objects = try SQLObject.bundled()
            _ = try await database.withConnection { try $0.migrate(migrations, objects: objects) }
            let value = try await body(database, schema)
            await database.close()
            try await admin.withConnection { try $0.execute("DROP SCHEMA \(schema) CASCADE") }
            await admin.close()
            return value
        } catch {
            await database.close()
            _ = try? await admin.withConnection { try $0.execute("DROP SCHEMA \(schema) CASCADE") }
            await admin.close()
            throw error
        }
    }
}
