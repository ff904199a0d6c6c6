import ArgumentParser
import Foundation
import VardeHTTP
import VardeStore

struct Projections: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read models built from the event log.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop every read model and rebuild it from the first event, with progress.")

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
            var lastReport = started
            let count = try await ProjectionRebuild(database: database, pageSize: pageSize).run { position, events in
                if ContinuousClock.now - lastReport > .seconds(1) || position >= head {
                    lastReport = ContinuousClock.now
                    let percent = head == 0 ? 100 : Int(Double(position) / Double(head) * 100)
                    print("rebuilt \(events) events, position \(position) of \(head) (\(percent)%)")
                }
            }
            let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18
                + Double((ContinuousClock.now - started).components.seconds)
            print("done: \(count) events in \(String(format: "%.2f", seconds)) s (\(Int(Double(count) / max(seconds, 0.001))) events/s)")
            await database.close()
        }
    }
}
