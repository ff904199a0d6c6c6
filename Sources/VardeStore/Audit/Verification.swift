import Foundation
import Logging

/// `varde verify`: the three checks an auditor relies on, with one report.
/// Passes only when the hash chains are intact, a replay of the log equals the
/// live read models, and re-evaluating the alert rules reproduces every
/// recorded alert decision.
public struct Verification: Sendable {
    public struct Report: Sendable, Codable {
        public var streams: Int
        public var events: Int
        public var chainBreaks: [ChainVerifier.Break]
        public var projectionDifferences: [ProjectionVerifier.Difference]?
        public var alertDifferences: [AlertVerifier.Difference]
        public var seconds: Double
        public var passed: Bool {
            chainBreaks.isEmpty && (projectionDifferences?.isEmpty ?? true) && alertDifferences.isEmpty
        }
    }

    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// The whole log (or one patient's stream, which skips the projection replay).
    public func run(stream: String? = nil, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Report {
        let started = ContinuousClock.now
        let chains = try await database.withConnection { c in
            try ChainVerifier().verify(c, stream: stream) { progress("hash chains: \($0) events checked") }
        }
        var projection: [ProjectionVerifier.Difference]?
        if stream == nil {
            projection = try await ProjectionVerifier(database: database, logger: logger).verify {
                if $0 % 50_000 == 0 { progress("projections: \($0) events replayed") }
            }.differences
        }
        let alerts = if let stream {
            try await database.withConnection { c in
                try AlertVerifier().verify(c, stream: stream) { progress("alert rules: \($0) events re-evaluated") }
            }
        } else {
            try await AlertVerifier().verify(database) { progress("alert rules: \($0) events re-evaluated") }
        }
        let elapsed = ContinuousClock.now - started
        return Report(
            streams: chains.streams, events: chains.events, chainBreaks: chains.breaks, projectionDifferences: projection,
            alertDifferences: alerts.differences,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
