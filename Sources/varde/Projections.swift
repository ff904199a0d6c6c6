import ArgumentParser
import Foundation
import VardeCLI
import VardeHTTP
import VardeStore

struct Projections: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read models built from the event log.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild every read model from the first event into new tables, then swap them in (progress on standard error).")

        @OptionGroup var options: DatabaseOptions

        @Option(help: "Events per transaction.")
        var pageSize: Int = 5000

        func run() async throws { try await reporting { try await runCommand() } }

        func runCommand() async throws {
            let configuration = Configuration.resolve(arguments: options.overrides, environment: ProcessInfo.processInfo.environment)
            let logger = options.makeLogger()
            let database = Database(conninfo: configuration.databaseURL, maxConnections: 2, logger: logger)
            let head = try await EventStore(database: database).headPosition()
            let started = ContinuousClock.now
            let lastLine = LastLine()
            let count = try await ProjectionRebuild(database: database, pageSize: pageSize).run { position, events in
                let percent = head == 0 ? 100 : min(100, Int(Double(position) / Double(head) * 100))
                lastLine.print("rebuilt \(events) events, position \(position) of \(head) (\(percent)%)")
            }
            let seconds =
                Double((ContinuousClock.now - started).components.attoseconds) / 1e18
                + Double((ContinuousClock.now - started).components.seconds)
            print("done: \(count) events in \(String(format: "%.2f", seconds)) s (\(Int(Double(count) / max(seconds, 0.001))) events/s)")
            await database.close()
        }
    }
}
