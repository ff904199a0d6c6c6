import ArgumentParser
import Foundation
import VardeCLI
import VardeHTTP
import VardeStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Apply the migrations in sql/ that are not applied yet, the functions and triggers that changed, and the privileges (idempotent). Run as the owner role."
    )

    @OptionGroup var options: DatabaseOptions

    func run() async throws { try await reporting { try await runCommand() } }

    func runCommand() async throws {
        let configuration = try options.configuration()
        let logger = try options.makeLogger()
        let migrations = try Migration.bundled(folder: configuration.sqlDirectory)
        let objects = try SQLObject.bundled(folder: configuration.sqlDirectory)
        let database = Database(conninfo: configuration.databaseURL, maxConnections: 1, logger: logger)
        let applied = try await database.withConnection { try $0.migrate(migrations, objects: objects) }
        await database.close()
        for name in applied { print("applied \(name)") }
        print(
            applied.isEmpty
                ? "database is up to date (\(migrations.count) migrations, \(objects.count) functions, triggers and privileges)"
                : "applied \(applied.count) of \(migrations.count) migrations and \(objects.count) functions, triggers and privileges")
    }
}
