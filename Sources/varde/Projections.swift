import ArgumentParser
import Foundation
import VardeCLI
import VardeCore
import VardeHTTP
import VardeStore

struct Projections: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read models built from the event log.", subcommands: [Rebuild.self, Skip.self, Skips.self])

    struct Skip: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let the projector pass over one event this version cannot read (the event stays in the log).",
            discussion: """
                The way out when /readyz says the projector is stopped by an event it cannot read: first check that \
                no newer version of Varde reads it (that is the better fix). The decision, who made it and why are \
                kept in projection_skips; delete the row and rebuild once a version reads the event.
                """)

        @OptionGroup var options: DatabaseOptions

        @Option(help: "The event's position, as /readyz and the log name it.")
        var position: Int64

        @Option(help: "Why it is skipped (kept with the decision).")
        var reason: String

        func run() async throws { try await reporting { try await runCommand() } }

        func runCommand() async throws {
            let configuration = try options.configuration()
            let database = Database(conninfo: configuration.databaseURL, maxConnections: 1, logger: try options.makeLogger())
            do {
                let skip = try await database.skipProjection(at: position, reason: reason, by: "cli:\(NSUserName())")
                print("skipped position \(skip.position) (event \(skip.eventID.lowercasedText)); the projector goes on at its next try")
            } catch let error as DomainError {
                await database.close()
                throw ValidationError(error.description)
            }
            await database.close()
        }
    }

    struct Skips: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the events the projector skips, with who decided and why.")

        @OptionGroup var options: DatabaseOptions

        func run() async throws { try await reporting { try await runCommand() } }

        func runCommand() async throws {
            let configuration = try options.configuration()
            let database = Database(conninfo: configuration.databaseURL, maxConnections: 1, logger: try options.makeLogger())
            let skips = try await database.projectionSkips()
            await database.close()
            for s in skips {
                print("\(s.position)\t\(s.eventID.lowercasedText)\t\(EventDate.format(s.decidedAt))\t\(s.decidedBy)\t\(s.reason)")
            }
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild every read model from the first event into new tables, then swap them in (progress on standard error).")

        @OptionGroup var options: DatabaseOptions

        @Option(help: "Events per transaction.")
        var pageSize: Int = 5000

        func run() async throws { try await reporting { try await runCommand() } }

        func runCommand() async throws {
            let configuration = try options.configuration()
            let logger = try options.makeLogger()
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
