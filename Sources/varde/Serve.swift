import ArgumentParser
import Foundation
import Hummingbird
import VardeCLI
import VardeHTTP
import VardeStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server (stops gracefully on SIGTERM/SIGINT).")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Address to listen on (default: VARDE_HOST or 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default: VARDE_PORT or 8080).")
    var port: Int?

    @Option(name: .customLong("pool-size"), help: "Database connections (default: VARDE_DB_POOL_SIZE or 10).")
    var poolSize: Int?

    @Option(
        name: .customLong("ingest-lanes"),
        help: "Ingest transactions in flight at once; requests arriving meanwhile are recorded together (default: VARDE_INGEST_LANES or 2)."
    )
    var ingestLanes: Int?

    @Flag(help: "Apply pending migrations before serving (only when connecting as the owner role, never as varde_runtime).")
    var migrate = false

    @Flag(name: .customLong("dev-auth"), help: "Trust tokens signed with the development key (never in production; loopback only).")
    var devAuth = false

    @Flag(name: .customLong("dev-auth-allow-remote"), help: "Allow --dev-auth on an address other than loopback (a shared test server).")
    var devAuthAllowRemote = false

    @Option(
        name: .customLong("data-dir"), help: "Project-local data folder, holding the development key (default: VARDE_DATA_DIR or .varde).")
    var dataDirectory: String?

    @Option(name: .customLong("jwks-file"), help: "JWKS of the identity provider (default: VARDE_JWKS_FILE).")
    var jwksFile: String?

    @Option(name: .customLong("jwt-issuer"), help: "Expected `iss` of staff tokens (default: VARDE_JWT_ISSUER).")
    var jwtIssuer: String?

    @Option(name: .customLong("jwt-audience"), help: "Expected `aud` of staff tokens (default: VARDE_JWT_AUDIENCE).")
    var jwtAudience: String?

    func run() async throws { try await reporting { try await runCommand() } }

    func runCommand() async throws {
        var overrides = options.overrides
        overrides.host = host
        overrides.port = port
        overrides.databasePoolSize = poolSize
        overrides.ingestLanes = ingestLanes
        overrides.devAuth = devAuth
        overrides.devAuthAllowRemote = devAuthAllowRemote
        overrides.dataDirectory = dataDirectory
        overrides.jwksFile = jwksFile
        overrides.jwtIssuer = jwtIssuer
        overrides.jwtAudience = jwtAudience
        let configuration = Configuration.resolve(arguments: overrides, environment: ProcessInfo.processInfo.environment)
        let logger = options.makeLogger()
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
        let app = try await buildApplication(configuration, logger: logger)
        try await app.runService()
    }
}
