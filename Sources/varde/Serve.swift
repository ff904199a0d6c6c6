import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import VardeCLI
import VardeHTTP
import VardeStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP server (drains and stops on SIGTERM/SIGINT).",
        discussion: """
            Settings, as a flag or its environment variable (a flag wins); a bad value stops the start \
            naming it. `--print-config` shows what is in effect, secrets redacted.

            \(VardeHTTP.Configuration.helpText)
            """)

    @OptionGroup var options: DatabaseOptions

    @Flag(help: "Apply pending migrations before serving (only when connecting as the owner role, never as varde_runtime).")
    var migrate = false

    @Flag(name: .customLong("print-config"), help: "Print the effective configuration (secrets redacted) and exit.")
    var printConfig = false

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var settings: [String] = []

    func run() async throws { try await reporting { try await runCommand() } }

    func runCommand() async throws {
        let (flags, switches): ([String: String], Set<String>)
        do {
            (flags, switches) = try VardeHTTP.Configuration.parse(settings)
        } catch {
            throw ValidationError(error.description)
        }
        let configuration = try options.configuration(adding: flags, switches: switches)
        let logger = try options.makeLogger()
        if printConfig {
            print(
                configuration.describe(
                    flags: options.flags.merging(flags) { $1 }, switches: switches, environment: ProcessInfo.processInfo.environment))
            return
        }
        if migrate {
            let database = Database(conninfo: configuration.databaseURL, maxConnections: 1, logger: logger)
            let applied = try await database.withConnection {
                try $0.migrate(
                    try Migration.bundled(folder: configuration.sqlDirectory),
                    objects: try SQLObject.bundled(folder: configuration.sqlDirectory))
            }
            await database.close()
            logger.info("migrations applied", metadata: ["count": "\(applied.count)"])
        }
        do {
            try await buildServiceGroup(configuration, logger: logger).run()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }
}
