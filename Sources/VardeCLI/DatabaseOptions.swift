import ArgumentParser
import Foundation
import Logging
import VardeHTTP

/// Options shared by every subcommand that talks to the database.
public struct DatabaseOptions: ParsableArguments {
    public init() {}

    @Option(name: .customLong("database-url"), help: "libpq conninfo or URL (default: DATABASE_URL, else libpq's PG* variables).")
    public var databaseURL: String?

    @Option(name: .customLong("sql-dir"), help: "Folder of numbered migrations (default: VARDE_SQL_DIR, ./sql, or beside the binary).")
    public var sqlDirectory: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical (default: LOG_LEVEL or info).")
    public var logLevel: String?

    @Option(name: .customLong("log-format"), help: "text or json (default: LOG_FORMAT or text).")
    public var logFormat: String?

    /// The flags these options set, as `Configuration.resolve` reads them.
    public var flags: [String: String] {
        var flags: [String: String] = [:]
        if let databaseURL { flags["--database-url"] = databaseURL }
        if let sqlDirectory { flags["--sql-dir"] = sqlDirectory }
        return flags
    }

    /// The configuration from these options and the environment; a bad value
    /// is an error naming its flag or variable.
    public func configuration(adding more: [String: String] = [:], switches: Set<String> = []) throws -> Configuration {
        do {
            return try Configuration.resolve(
                flags: flags.merging(more) { $1 }, switches: switches, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The logger every command uses: `LOG_FORMAT`/`--log-format` (text or
    /// json) and `LOG_LEVEL`/`--log-level`, refused when they name nothing.
    public func makeLogger() throws -> Logger {
        let environment = ProcessInfo.processInfo.environment
        let (format, formatSource) = logFormat.map { ($0, "--log-format") } ?? (environment["LOG_FORMAT"] ?? "text", "LOG_FORMAT")
        guard format == "text" || format == "json" else { throw ValidationError("\(formatSource): '\(format)' is not text or json") }
        let (level, levelSource) = logLevel.map { ($0, "--log-level") } ?? (environment["LOG_LEVEL"] ?? "info", "LOG_LEVEL")
        guard let parsed = Logger.Level(rawValue: level) else {
            throw ValidationError(
                "\(levelSource): '\(level)' is not one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        LoggingBootstrap.once(json: format == "json")
        var logger = Logger(label: "varde")
        logger.logLevel = parsed
        return logger
    }
}

/// `LoggingSystem.bootstrap` may run only once per process.
public enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false

    public static func once(json: Bool) {
        guard !done else { return }
        done = true
        if json { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } } else { LoggingSystem.bootstrap(StreamLogHandler.standardError) }
    }
}
