import Foundation
import Logging
import VardeCLI
import VardeCore
import VardeHTTP
import VardeStore

/// What every `varde-bench …` shares: a scratch schema in the configured
/// (durable) database, the settings it ran with, and figures.
struct BenchScratch {
    let configuration: Configuration
    let logger: Logger
    let schema: String
    let admin: Database

    /// Creates (or, with `existing`, reuses) a schema and migrates it.
    static func make(_ options: DatabaseOptions, existing: String? = nil) async throws -> BenchScratch {
        let configuration = try options.configuration()
        var logger = try options.makeLogger()
        if options.logLevel == nil && ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil { logger.logLevel = .warning }
        let schema = existing ?? "bench_\(UInt32.random(in: 0...UInt32.max))"
        let admin = Database(conninfo: configuration.databaseURL, maxConnections: 1, logger: logger)
        if existing == nil {
            try await admin.withConnection { try $0.execute("CREATE SCHEMA \(schema)") }
        }
        let scratch = BenchScratch(configuration: configuration, logger: logger, schema: schema, admin: admin)
        let database = scratch.database(maxConnections: 1)
        do {
            _ = try await database.withConnection {
                try $0.migrate(
                    try Migration.bundled(folder: configuration.sqlDirectory),
                    objects: try SQLObject.bundled(folder: configuration.sqlDirectory))
            }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        return scratch
    }

    func database(maxConnections: Int) -> Database {
        Database(conninfo: configuration.databaseURL, options: "-c search_path=\(schema)", maxConnections: maxConnections, logger: logger)
    }

    /// `fsync=on, synchronous_commit=on` and the server version.
    func settings() async throws -> String {
        try await admin.withConnection { c in
            let values = try ["fsync", "synchronous_commit", "full_page_writes", "server_version"].map {
                "\($0)=\(try c.query("SHOW \($0)").string(0, 0) ?? "?")"
            }
            return "PostgreSQL " + values.joined(separator: ", ")
        }
    }

    func drop() async {
        do {
            try await admin.withConnection { try $0.execute("DROP SCHEMA \(self.schema) CASCADE") }
        } catch {
            print("could not drop schema \(schema): \(error)")
        }
        await admin.close()
    }

    func keep() async {
        print("kept schema \(schema) (drop it with: DROP SCHEMA \(schema) CASCADE)")
        await admin.close()
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1000 }
}

/// Latency samples in milliseconds.
struct Latencies {
    var samples: [Double] = []

    mutating func add(_ d: Duration) { samples.append(d.milliseconds) }
    mutating func merge(_ other: Latencies) { samples += other.samples }

    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let sorted = samples.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[Swift.min(Swift.max(rank, 0), sorted.count - 1)]
    }

    var largest: Double { samples.max() ?? .nan }
    var count: Int { samples.count }
}

enum BenchFormat {
    static func ms(_ v: Double) -> String { v.isNaN ? "-" : String(format: "%.1f", v) }
    static func rate(_ v: Double) -> String { String(Int(v.rounded())) }
    static func cell(_ s: String, _ width: Int) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
    static func met(_ ok: Bool) -> String { ok ? "met" : "NOT met" }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
