import Foundation
import Logging
import VardeStore

/// Scratch databases for `varde simulate`: a fresh schema of its own in the
/// database the conninfo names (`sim_` and random hex), migrated, used by one
/// arm and dropped after, whatever happened. Nothing outside it is touched,
/// so a run can share a cluster (the test one, the durable one) with others.
public struct ScratchSchemas: ScratchDatabases {
    let conninfo: String
    let sqlDirectory: String?
    let connections: Int
    let logger: Logger

    public init(conninfo: String, sqlDirectory: String?, connections: Int = 8, logger: Logger) {
        self.conninfo = conninfo
        self.sqlDirectory = sqlDirectory
        self.connections = connections
        self.logger = logger
    }

    public func with<T: Sendable>(_ body: (Database) async throws -> T) async throws -> T {
        let schema = "sim_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let admin = Database(conninfo: conninfo, maxConnections: 1, logger: logger)
        try await admin.withConnection { try $0.execute("CREATE SCHEMA \(schema)") }
        let database = Database(
            conninfo: conninfo, options: "-c search_path=\(schema)", maxConnections: connections, checkoutTimeout: .seconds(30),
            logger: logger)
        do {
            let migrations = try Migration.bundled(folder: sqlDirectory), objects = try SQLObject.bundled(folder: sqlDirectory)
            _ = try await database.withConnection { try $0.migrate(migrations, objects: objects) }
            let value = try await body(database)
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
