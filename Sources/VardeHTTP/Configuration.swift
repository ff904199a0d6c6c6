import Foundation

/// Everything `varde serve` needs, resolved once: command-line arguments
/// first, then environment variables, then defaults. Every setting is read
/// strictly (`Configuration+Settings.swift`): a value that does not parse or
/// lies outside its range stops the start with a message naming the flag or
/// variable it came from.
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
    /// OpenID Connect issuer (https; http only on loopback): keys found by discovery and kept fresh.
    public var oidcIssuer: String?
    /// How often the provider's keys are read anew (a token with an unknown key reads them at once).
    public var oidcRefreshInterval: TimeInterval = 900
    /// The longest `exp - iat` a staff token may have, or nil for any.
    public var maxTokenLifetime: TimeInterval?
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
    /// Prometheus metrics on a listener of their own (off unless a port is
    /// set; loopback unless a host is set), never beside the API.
    public var metricsPort: Int?
    public var metricsHost = "127.0.0.1"
    /// On SIGTERM: `/readyz` answers 503 and long polls return at once; new
    /// requests are still served for `drainDelay` (load balancers notice),
    /// then in-flight ones finish; the process ends within `drainTimeout`.
    public var drainDelay: TimeInterval = 2
    public var drainTimeout: TimeInterval = 10
    /// The web app (`/app/`): the base URL browsers reach the server by (the
    /// OpenID Connect redirect URI is this plus `/app/callback`), the client
    /// id registered at the provider, the PEM file of the client's private
    /// key (`private_key_jwt`), and the scopes asked for.
    public var publicURL: String?
    public var oidcClientID: String?
    public var oidcClientKey: String?
    public var oidcScopes = "openid profile"
    /// A web session ends after this long without a request (sliding), and
    /// this long after sign-in whatever happens (absolute).
    public var sessionIdle: TimeInterval = 1800
    public var sessionMax: TimeInterval = 12 * 3600

    public init() {}

    /// Server settings for the server's connections.
    public var serverOptions: String {
        let ms = Int(statementTimeout * 1000)
        return "-c statement_timeout=\(ms) -c idle_in_transaction_session_timeout=\(max(ms, 60_000))"
    }

    /// Resolves every setting: `flags` holds the values given on the command
    /// line by flag name (`--port`), `switches` the flags given without a
    /// value (`--dev-auth`); the environment fills in the rest.
    public static func resolve(
        flags: [String: String] = [:], switches: Set<String> = [], environment: [String: String]
    ) throws(ConfigurationError) -> Configuration {
        var c = Configuration()
        for setting in settings {
            if setting.isSwitch, switches.contains(setting.flag) {
                try setting.apply(&c, "true", setting.flag)
            } else if let value = flags[setting.flag] {
                try setting.apply(&c, value, setting.flag)
            } else if let value = environment[setting.variable] {
                try setting.apply(&c, value, setting.variable)
            }
        }
        guard c.sessionIdle <= c.sessionMax else {
            throw ConfigurationError("--session-idle (VARDE_SESSION_IDLE) must not be longer than --session-max (VARDE_SESSION_MAX)")
        }
        guard c.drainDelay < c.drainTimeout else {
            throw ConfigurationError("--drain-delay (VARDE_DRAIN_DELAY) must be shorter than --drain-timeout (VARDE_DRAIN_TIMEOUT)")
        }
        return c
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
