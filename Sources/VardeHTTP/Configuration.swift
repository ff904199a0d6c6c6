import Foundation

/// Everything `varde serve` needs, resolved once: command-line arguments
/// first, then environment variables, then defaults.
public struct Configuration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// libpq conninfo or URL; empty means libpq's `PG*` variables.
    public var databaseURL = ""
    public var databasePoolSize = 10
    /// Where `sql/` lives, when not found by itself.
    public var sqlDirectory: String?
    /// Project-local data (the development signing key).
    public var dataDirectory = ".varde"
    /// Trust tokens signed with the development key.
    public var devAuth = false
    /// Allow `devAuth` on an address other than loopback (a second, explicit yes).
    public var devAuthAllowRemote = false
    public var jwksFile: String?
    public var jwtIssuer: String?
    public var jwtAudience: String?
    public var roleClaim = "varde_role"
    public var teamsClaim = "varde_teams"
    /// How far in the future a reading's measured time may be (device clocks drift).
    public var maxFutureSkew: TimeInterval = 300
    /// How often the missing-measurement sweep runs.
    public var sweepInterval: TimeInterval = 300
    /// Ingest transactions in flight at once; requests arriving meanwhile are
    /// recorded together in the next one (group commit).
    public var ingestLanes = 2
    /// The longest a statement of the server may run (PostgreSQL cancels it:
    /// a 503 to the client). Transactions idle that long are ended too.
    public var statementTimeout: TimeInterval = 30
    /// Long polls that may wait at once, in all and per caller (more: 429).
    public var maxLongPolls = 1_000
    public var maxLongPollsPerCaller = 4
    /// Open connections at most (more are closed at once), how long a
    /// connection may sit without a request, and how long reading one
    /// request whole may take (slow clients are cut off).
    public var maxConnections = 4_096
    public var idleTimeout: TimeInterval = 30
    public var requestReadTimeout: TimeInterval = 30
    /// Behind a proxy that appends the client's address to
    /// `X-Forwarded-For`: take the client's address from there (for the
    /// limit on failed sign-ins per address). Never without such a proxy:
    /// a client could then name any address.
    public var trustForwardedFor = false
    /// Failed sign-ins one address may make in a minute before it gets 429.
    public var authFailuresPerMinute = 20

    public init() {}

    /// Server settings for the server's connections.
    public var serverOptions: String {
        let ms = Int(statementTimeout * 1000)
        return "-c statement_timeout=\(ms) -c idle_in_transaction_session_timeout=\(max(ms, 60_000))"
    }

    /// Fills in from the environment whatever no argument set. `arguments`
    /// holds values given on the command line (nil when absent).
    public static func resolve(arguments: Configuration.Overrides, environment: [String: String]) -> Configuration {
        var c = Configuration()
        func pick<T>(_ argument: T?, _ variable: String, _ parse: (String) -> T?) -> T? {
            argument ?? environment[variable].flatMap(parse)
        }
        c.host = pick(arguments.host, "VARDE_HOST", { $0 }) ?? c.host
        c.port = pick(arguments.port, "VARDE_PORT", { Int($0) }) ?? c.port
        c.databaseURL = pick(arguments.databaseURL, "DATABASE_URL", { $0 }) ?? c.databaseURL
        c.databasePoolSize = pick(arguments.databasePoolSize, "VARDE_DB_POOL_SIZE", { Int($0) }) ?? c.databasePoolSize
        c.sqlDirectory = pick(arguments.sqlDirectory, "VARDE_SQL_DIR", { $0 })
        c.dataDirectory = pick(arguments.dataDirectory, "VARDE_DATA_DIR", { $0 }) ?? c.dataDirectory
        c.devAuth = arguments.devAuth || environment["VARDE_DEV_AUTH"] == "1"
        c.devAuthAllowRemote = arguments.devAuthAllowRemote || environment["VARDE_DEV_AUTH_ALLOW_REMOTE"] == "1"
        c.jwksFile = pick(arguments.jwksFile, "VARDE_JWKS_FILE", { $0 })
        c.jwtIssuer = pick(arguments.jwtIssuer, "VARDE_JWT_ISSUER", { $0 })
        c.jwtAudience = pick(arguments.jwtAudience, "VARDE_JWT_AUDIENCE", { $0 })
        c.roleClaim = pick(arguments.roleClaim, "VARDE_ROLE_CLAIM", { $0 }) ?? c.roleClaim
        c.teamsClaim = pick(arguments.teamsClaim, "VARDE_TEAMS_CLAIM", { $0 }) ?? c.teamsClaim
        c.maxFutureSkew = pick(arguments.maxFutureSkew, "VARDE_MAX_FUTURE_SKEW", { TimeInterval($0) }) ?? c.maxFutureSkew
        c.sweepInterval = pick(arguments.sweepInterval, "VARDE_SWEEP_INTERVAL", { TimeInterval($0) }) ?? c.sweepInterval
        c.ingestLanes = max(1, pick(arguments.ingestLanes, "VARDE_INGEST_LANES", { Int($0) }) ?? c.ingestLanes)
        c.statementTimeout = pick(nil, "VARDE_STATEMENT_TIMEOUT", { TimeInterval($0) }) ?? c.statementTimeout
        c.maxLongPolls = pick(nil, "VARDE_MAX_LONG_POLLS", { Int($0) }) ?? c.maxLongPolls
        c.maxLongPollsPerCaller = pick(nil, "VARDE_MAX_LONG_POLLS_PER_CALLER", { Int($0) }) ?? c.maxLongPollsPerCaller
        c.trustForwardedFor = environment["VARDE_TRUST_FORWARDED_FOR"] == "1"
        c.authFailuresPerMinute = pick(nil, "VARDE_AUTH_FAILURES_PER_MINUTE", { Int($0) }) ?? c.authFailuresPerMinute
        return c
    }

    /// Values given as arguments; nil where the user gave none.
    public struct Overrides: Sendable {
        public var host: String?
        public var port: Int?
        public var databaseURL: String?
        public var databasePoolSize: Int?
        public var sqlDirectory: String?
        public var dataDirectory: String?
        public var devAuth = false
        public var devAuthAllowRemote = false
        public var jwksFile: String?
        public var jwtIssuer: String?
        public var jwtAudience: String?
        public var roleClaim: String?
        public var teamsClaim: String?
        public var maxFutureSkew: TimeInterval?
        public var sweepInterval: TimeInterval?
        public var ingestLanes: Int?

        public init() {}
    }
}
