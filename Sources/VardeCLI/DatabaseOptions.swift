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

    public var overrides: Configuration.Overrides {
        var o = Configuration.Overrides()
        o.databaseURL = databaseURL
        o.sqlDirectory = sqlDirectory
        return o
    }

    public func makeLogger() -> Logger {
        let format = logFormat ?? ProcessInfo.processInfo.environment["LOG_FORMAT"] ?? "text"
        LoggingBootstrap.once(json: format == "json")
        var logger = Logger(label: "varde")
        let level = logLevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"]
        logger.logLevel = level.flatMap { Logger.Level(rawValue: $0) } ?? .info
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
