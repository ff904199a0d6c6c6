import Foundation
import Logging
import VardeCore

/// `varde verify`: the three checks an auditor relies on, with one report.
/// Passes only when the hash chains are intact (and every head recorded
/// earlier, when given, is still there), a replay of the log equals the live
/// read models, and re-evaluating the alert rules reproduces every recorded
/// alert decision. For one patient the same three checks run on that
/// patient's stream and read-model rows.
public struct Verification: Sendable {
    public struct Report: Sendable, Codable {
        public var streams: Int
        public var events: Int
        /// Breaks in the chains, then recorded heads that are gone or changed.
        public var chainBreaks: [ChainVerifier.Break]
        /// The heads of the streams walked, to keep somewhere else and give back later (`heads:`).
        public var heads: StreamHeads
        /// How many recorded heads were checked (nil when none were given).
        public var headsChecked: Int?
        public var projectionDifferences: [ProjectionVerifier.Difference]?
        /// For one patient: the live projector's checkpoint, the log position
        /// the patient's rows were compared at (later events are not in them yet).
        public var projectedThrough: Int64?
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

    /// The whole log, or one patient's stream (`patient-<id>`) and read-model
    /// rows. `heads` are heads an earlier report gave (those of other streams
    /// are left out when `stream` is given).
    public func run(
        stream: String? = nil, heads recorded: StreamHeads? = nil,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> Report {
        let started = ContinuousClock.now
        let recorded = recorded.map { stream.map($0.only) ?? $0 }
        let (chains, heads, headBreaks) = try await database.withConnection { c in
            let chains = try ChainVerifier().verify(c, stream: stream) { progress("hash chains: \($0) events checked") }
            let heads = StreamHeads(position: try c.headPosition(), streams: chains.heads)
            return (chains, heads, try recorded?.check(c))
        }
        var projection: [ProjectionVerifier.Difference]?
        var projectedThrough: Int64?
        if let stream {
            if StreamName.category(of: stream) == "patient", let patient = StreamName.id(of: stream) {
                (projection, projectedThrough) = try await PatientProjectionVerifier().verify(database, patient: patient)
            }
        } else {
            projection = try await ProjectionVerifier(database: database, logger: logger).verify {
                if $0 % 50_000 == 0 { progress("projections: \($0) events replayed") }
            }.differences
        }
        let alerts =
            if let stream {
                try await database.withConnection { c in
                    try AlertVerifier().verify(c, stream: stream) { progress("alert rules: \($0) events re-evaluated") }
                }
            } else {
                try await AlertVerifier().verify(database) { progress("alert rules: \($0) events re-evaluated") }
            }
        let elapsed = ContinuousClock.now - started
        return Report(
            streams: chains.streams, events: chains.events, chainBreaks: chains.breaks + (headBreaks ?? []), heads: heads,
            headsChecked: recorded?.streams.count,
            projectionDifferences: projection, projectedThrough: projectedThrough, alertDifferences: alerts.differences,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
