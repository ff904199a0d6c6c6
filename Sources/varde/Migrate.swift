import VardeCLI
import ArgumentParser
import Foundation
import VardeHTTP
import VardeStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the migrations in sql/ that are not applied yet (idempotent).")

    @OptionGroup var options: DatabaseOptions

    func run() async throws { try await reporting { try await runCommand() } }

    func runCommand() async throws {
        let configuration = Configuration.resolve(arguments: options.overrides, environment: ProcessInfo.processInfo.environment)
        let logger = options.makeLogger()
        let migrations = try Migration.bundled(folder: configuration.sqlDirectory)
        let database = Database(conninfo: configuration.databaseURL, maxConnections: 1, logger: logger)
        let applied = try await database.withConnection { try $0.migrate(migrations) }
        await database.close()
        for migration in applied { print("applied \(migration.name)") }
        print(applied.isEmpty ? "database is up to date (\(migrations.count) migrations)" : "applied \(applied.count) of \(migrations.count) migrations")
    }
}
