import Foundation
import VardeCore

/// The one table of settings: flag, environment variable, how the text is
/// read (strictly: a bad value names its flag or variable), and how it is
/// shown by `varde serve --print-config` (secrets redacted).
extension Configuration {
    public struct Setting: Sendable {
        public let flag: String
        public let variable: String
        public let help: String
        /// A flag given without a value (`--dev-auth`); its variable takes 1/0, true/false, yes/no.
        public let isSwitch: Bool
        let apply: @Sendable (inout Configuration, String, String) throws(ConfigurationError) -> Void
        let show: @Sendable (Configuration) -> String
    }

    public static let settings: [Setting] = [
        text("--host", "VARDE_HOST", "address to listen on", \.host),
        integer("--port", "VARDE_PORT", "port to listen on", 1...65535, \.port),
        Setting(
            flag: "--database-url", variable: "DATABASE_URL", help: "libpq conninfo or URL (else libpq's PG* variables)",
            isSwitch: false, apply: { c, value, _ in c.databaseURL = value }, show: { redacted($0.databaseURL) }),
        integer("--pool-size", "VARDE_DB_POOL_SIZE", "database connections", 1...500, \.databasePoolSize),
        optionalText("--sql-dir", "VARDE_SQL_DIR", "folder of sql/ (migrations)", \.sqlDirectory),
        text("--data-dir", "VARDE_DATA_DIR", "project-local data (development key)", \.dataDirectory),
        flag("--dev-auth", "VARDE_DEV_AUTH", "trust development tokens (loopback only)", \.devAuth),
        flag("--dev-auth-allow-remote", "VARDE_DEV_AUTH_ALLOW_REMOTE", "allow --dev-auth beyond loopback", \.devAuthAllowRemote),
        Setting(
            flag: "--oidc-issuer", variable: "VARDE_OIDC_ISSUER", help: "OpenID Connect issuer (discovery, rotating keys)",
            isSwitch: false,
            apply: { c, value, source throws(ConfigurationError) in
                guard let url = URL(string: value), url.scheme == "https" || url.scheme == "http", url.host != nil else {
                    throw ConfigurationError("\(source): '\(value)' is not an https URL")
                }
                c.oidcIssuer = value
            }, show: { $0.oidcIssuer ?? "–" }),
        seconds(
            "--oidc-refresh-interval", "VARDE_OIDC_REFRESH_INTERVAL", "how often the provider's keys are read", 60...86_400,
            \.oidcRefreshInterval),
        Setting(
            flag: "--max-token-lifetime", variable: "VARDE_MAX_TOKEN_LIFETIME", help: "longest exp - iat of a staff token (s)",
            isSwitch: false,
            apply: { c, value, source throws(ConfigurationError) in c.maxTokenLifetime = try number(value, source, 60...86_400) },
            show: { $0.maxTokenLifetime.map { "\(Int($0)) s" } ?? "any" }),
        optionalText("--jwks-file", "VARDE_JWKS_FILE", "JWKS file of the identity provider (offline setups)", \.jwksFile),
        optionalText("--jwt-issuer", "VARDE_JWT_ISSUER", "expected iss of staff tokens (with --jwks-file)", \.jwtIssuer),
        optionalText("--jwt-audience", "VARDE_JWT_AUDIENCE", "expected aud of staff tokens", \.jwtAudience),
        text("--role-claim", "VARDE_ROLE_CLAIM", "claim holding the role", \.roleClaim),
        text("--teams-claim", "VARDE_TEAMS_CLAIM", "claim holding the team ids", \.teamsClaim),
        seconds("--max-future-skew", "VARDE_MAX_FUTURE_SKEW", "how far ahead a measured time may be", 0...86_400, \.maxFutureSkew),
        seconds("--sweep-interval", "VARDE_SWEEP_INTERVAL", "missing-measurement sweep", 1...86_400, \.sweepInterval),
        integer("--ingest-lanes", "VARDE_INGEST_LANES", "ingest transactions in flight at once", 1...16, \.ingestLanes),
        seconds("--statement-timeout", "VARDE_STATEMENT_TIMEOUT", "longest statement of the server", 1...3_600, \.statementTimeout),
        integer("--max-long-polls", "VARDE_MAX_LONG_POLLS", "long polls waiting at once", 1...100_000, \.maxLongPolls),
        integer(
            "--max-long-polls-per-caller", "VARDE_MAX_LONG_POLLS_PER_CALLER", "long polls one caller may hold", 1...100,
            \.maxLongPollsPerCaller),
        integer("--max-connections", "VARDE_MAX_CONNECTIONS", "open connections at most", 16...1_000_000, \.maxConnections),
        seconds("--idle-timeout", "VARDE_IDLE_TIMEOUT", "a connection without a request is closed after", 1...3_600, \.idleTimeout),
        seconds(
            "--request-read-timeout", "VARDE_REQUEST_READ_TIMEOUT", "a request must be read whole within", 1...3_600, \.requestReadTimeout),
        flag(
            "--trust-forwarded-for", "VARDE_TRUST_FORWARDED_FOR", "client address from X-Forwarded-For (behind a proxy)",
            \.trustForwardedFor),
        integer(
            "--auth-failures-per-minute", "VARDE_AUTH_FAILURES_PER_MINUTE", "failed sign-ins per address before 429", 1...1_000_000,
            \.authFailuresPerMinute),
        Setting(
            flag: "--metrics-port", variable: "VARDE_METRICS_PORT", help: "Prometheus metrics port (off unless set)", isSwitch: false,
            apply: { c, value, source throws(ConfigurationError) in c.metricsPort = try number(value, source, 1...65_535) },
            show: { $0.metricsPort.map(String.init) ?? "off" }),
        text("--metrics-host", "VARDE_METRICS_HOST", "address of the metrics listener", \.metricsHost),
        seconds("--drain-delay", "VARDE_DRAIN_DELAY", "after SIGTERM, new requests are still served for", 0...60, \.drainDelay),
        seconds("--drain-timeout", "VARDE_DRAIN_TIMEOUT", "after SIGTERM, the process ends within", 1...300, \.drainTimeout),
        Setting(
            flag: "--public-url", variable: "VARDE_PUBLIC_URL", help: "base URL browsers use (web app sign-in redirects)",
            isSwitch: false,
            apply: { c, value, source throws(ConfigurationError) in c.publicURL = try publicURL(value, source) },
            show: { $0.publicURL ?? "–" }),
        optionalText("--oidc-client-id", "VARDE_OIDC_CLIENT_ID", "the web app's client id at the identity provider", \.oidcClientID),
        optionalText(
            "--oidc-client-key", "VARDE_OIDC_CLIENT_KEY", "PEM private key file for private_key_jwt (RS256 or ES256)", \.oidcClientKey),
        text("--oidc-scopes", "VARDE_OIDC_SCOPES", "scopes the web app asks for (openid first)", \.oidcScopes),
        seconds("--session-idle", "VARDE_SESSION_IDLE", "a web session ends after this long idle", 60...86_400, \.sessionIdle),
        seconds("--session-max", "VARDE_SESSION_MAX", "a web session ends this long after sign-in", 300...7 * 86_400, \.sessionMax),
    ]

    /// An absolute http(s) URL with a host and no query or fragment, without
    /// a trailing slash; https unless the host is a loopback address.
    static func publicURL(_ value: String, _ source: String) throws(ConfigurationError) -> String {
        let trimmed = value.hasSuffix("/") ? String(value.dropLast()) : value
        guard let url = URLComponents(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
        else { throw ConfigurationError("\(source): '\(value)' is not an http(s) URL without query or fragment") }
        guard scheme == "https" || StaffTokens.isLoopback(host) else {
            throw ConfigurationError("\(source): '\(value)' must be https (http only on a loopback address)")
        }
        return trimmed
    }

    /// Every setting, its value and where it came from: what `--print-config` prints.
    public func describe(flags: [String: String], switches: Set<String>, environment: [String: String]) -> String {
        let rows = Self.settings.map { s -> (String, String, String) in
            let source =
                (s.isSwitch ? switches.contains(s.flag) : flags[s.flag] != nil)
                ? s.flag : environment[s.variable] != nil ? s.variable : "default"
            return (s.flag, s.show(self), source)
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { flag, value, source in
            flag.padding(toLength: width + 2, withPad: " ", startingAt: 0) + value + "   (" + source + ")"
        }.joined(separator: "\n")
    }

    /// A conninfo or URL with its password replaced.
    static func redacted(_ conninfo: String) -> String {
        guard !conninfo.isEmpty else { return "– (libpq's PG* variables)" }
        if var url = URLComponents(string: conninfo), url.scheme != nil {
            if url.password != nil { url.password = "****" }
            return url.string ?? "****"
        }
        return conninfo.replacingOccurrences(of: #"password\s*=\s*('[^']*'|\S+)"#, with: "password=****", options: .regularExpression)
    }

    // MARK: Readers

    private static func text(
        _ flag: String, _ variable: String, _ help: String, _ path: WritableKeyPath<Configuration, String> & Sendable
    ) -> Setting {
        Setting(
            flag: flag, variable: variable, help: help, isSwitch: false,
            apply: { c, value, source throws(ConfigurationError) in
                guard !value.isEmpty, TextRules.isSingleLine(value) else { throw ConfigurationError("\(source): must not be empty") }
                c[keyPath: path] = value
            }, show: { $0[keyPath: path] })
    }

    private static func optionalText(
        _ flag: String, _ variable: String, _ help: String, _ path: WritableKeyPath<Configuration, String?> & Sendable
    ) -> Setting {
        Setting(
            flag: flag, variable: variable, help: help, isSwitch: false,
            apply: { c, value, source throws(ConfigurationError) in
                guard !value.isEmpty else { throw ConfigurationError("\(source): must not be empty") }
                c[keyPath: path] = value
            }, show: { $0[keyPath: path] ?? "–" })
    }

    private static func integer(
        _ flag: String, _ variable: String, _ help: String, _ range: ClosedRange<Int>,
        _ path: WritableKeyPath<Configuration, Int> & Sendable
    ) -> Setting {
        Setting(
            flag: flag, variable: variable, help: help, isSwitch: false,
            apply: { c, value, source throws(ConfigurationError) in c[keyPath: path] = try number(value, source, range) },
            show: { String($0[keyPath: path]) })
    }

    private static func seconds(
        _ flag: String, _ variable: String, _ help: String, _ range: ClosedRange<Double>,
        _ path: WritableKeyPath<Configuration, TimeInterval> & Sendable
    ) -> Setting {
        Setting(
            flag: flag, variable: variable, help: help, isSwitch: false,
            apply: { c, value, source throws(ConfigurationError) in c[keyPath: path] = try number(value, source, range) },
            show: { "\($0[keyPath: path].formatted(.number.grouping(.never))) s" })
    }

    private static func flag(
        _ flag: String, _ variable: String, _ help: String, _ path: WritableKeyPath<Configuration, Bool> & Sendable
    ) -> Setting {
        Setting(
            flag: flag, variable: variable, help: help, isSwitch: true,
            apply: { c, value, source throws(ConfigurationError) in
                switch value.lowercased() {
                case "1", "true", "yes", "on": c[keyPath: path] = true
                case "0", "false", "no", "off", "": c[keyPath: path] = false
                default: throw ConfigurationError("\(source): '\(value)' is not 1 or 0 (true or false)")
                }
            }, show: { $0[keyPath: path] ? "on" : "off" })
    }

    static func number(_ text: String, _ source: String, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw ConfigurationError("\(source): '\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    static func number(_ text: String, _ source: String, _ range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, range.contains(value) else {
            throw ConfigurationError(
                "\(source): '\(text)' is not a number of seconds from \(range.lowerBound.formatted(.number.grouping(.never))) "
                    + "to \(range.upperBound.formatted(.number.grouping(.never)))")
        }
        return value
    }
}

extension Configuration {
    /// The settings given on the command line after the subcommand's own
    /// options: `--flag value`, `--flag=value`, or a switch alone. A flag
    /// that is not a setting, or lacks its value, is an error.
    public static func parse(_ arguments: [String]) throws(ConfigurationError) -> (flags: [String: String], switches: Set<String>) {
        var flags: [String: String] = [:], switches = Set<String>()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            let (name, inline) = argument.split(separator: "=", maxSplits: 1).map(String.init).splitFirst
            guard let setting = settings.first(where: { $0.flag == name }) else {
                throw ConfigurationError("unknown option \(name) (`varde serve --help` lists them)")
            }
            if setting.isSwitch, inline == nil {
                switches.insert(name)
            } else if let value = inline ?? rest.popFirst() {
                flags[name] = value
            } else {
                throw ConfigurationError("\(name) needs a value")
            }
        }
        return (flags, switches)
    }

    /// The settings table as help text.
    public static var helpText: String {
        let width = settings.map { $0.flag.count + $0.variable.count + 3 }.max() ?? 0
        return settings.map { s in
            ("\(s.flag) (\(s.variable))").padding(toLength: width + 2, withPad: " ", startingAt: 0) + s.help
        }.joined(separator: "\n")
    }
}

extension Array where Element == String {
    /// The first element and, when there is one, the second.
    fileprivate var splitFirst: (String, String?) { (first ?? "", count > 1 ? self[1] : nil) }
}
