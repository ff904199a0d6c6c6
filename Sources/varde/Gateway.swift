import ArgumentParser
import Foundation
import VardeCLI
import VardeCore
import VardeHTTP
import VardeStore

struct Gateway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register device gateways, set the teams they serve, and manage their API keys.",
        subcommands: [Create.self, Teams.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a gateway; prints its API key alone on the last line.")

        @OptionGroup var options: DatabaseOptions

        @Option(help: "The gateway's name (vendor, model, site).")
        var name: String

        @Option(name: .customLong("team"), help: "A team whose patients the gateway serves (repeat for more).")
        var teams: [String] = []

        func run() async throws { try await reporting { try await runCommand() } }

        func runCommand() async throws {
            let teams = try teamIDs(self.teams)
            try await withProjectedStore(options) { store in
                let (issued, _) = try await GatewayAdmin(store: store).register(
                    name: name, teams: teams, metadata: EventMetadata(actor: "cli:\(NSUserName())", role: "admin"), now: Date())
                print("gateway \(issued.gatewayId) key \(issued.keyId)")
                print(issued.apiKey)
            }
        }
    }

    struct Teams: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the teams whose patients a gateway serves (replacing the earlier set).")

        @OptionGroup var options: DatabaseOptions

        @Option(help: "The gateway id.")
        var gateway: String

        @Option(name: .customLong("team"), help: "A team whose patients the gateway serves (repeat for more; none: it serves no one).")
        var teams: [String] = []

        func run() async throws { try await reporting { try await runCommand() } }

        func runCommand() async throws {
            guard let id = UUID(uuidString: gateway) else { throw ValidationError("--gateway takes a UUID") }
            let teams = try teamIDs(self.teams)
            try await withProjectedStore(options) { store in
                _ = try await GatewayAdmin(store: store).assignTeams(
                    gateway: id, teams: teams, metadata: EventMetadata(actor: "cli:\(NSUserName())", role: "admin"), now: Date())
                print("gateway \(id.lowercasedText) serves \(teams.count) team(s)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke one API key of a gateway.")

        @OptionGroup var options: DatabaseOptions

        @Option(help: "The gateway id.")
        var gateway: String

        @Option(help: "The key id (the part after vgk_).")
        var key: String

        func run() async throws { try await reporting { try await runCommand() } }

        func runCommand() async throws {
            guard let id = UUID(uuidString: gateway) else { throw ValidationError("--gateway takes a UUID") }
            try await withProjectedStore(options) { store in
                _ = try await GatewayAdmin(store: store).revokeKey(
                    gateway: id, keyID: key, metadata: EventMetadata(actor: "cli:\(NSUserName())", role: "admin"), now: Date())
                print("revoked \(key)")
            }
        }
    }
}

/// Runs `body` with an event store, then brings the projections up to date so
/// the change takes effect at once, with or without a running server.
func withProjectedStore(_ options: DatabaseOptions, _ body: (EventStore) async throws -> Void) async throws {
    let configuration = try options.configuration()
    let logger = try options.makeLogger()
    let database = Database(conninfo: configuration.databaseURL, maxConnections: 2, logger: logger)
    do {
        try await body(EventStore(database: database))
        try await Subscription(
            name: Projector.subscriptionName, database: database, handler: Projector(), head: Watermark(), logger: logger
        ).catchUp()
    } catch {
        await database.close()
        throw error
    }
    await database.close()
}

private func teamIDs(_ texts: [String]) throws -> [UUID] {
    try texts.map {
        guard let id = UUID(uuidString: $0) else { throw ValidationError("--team takes a UUID") }
        return id
    }
}
