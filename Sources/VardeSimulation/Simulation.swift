import Foundation
import Logging
import VardeCore
import VardeHTTP
import VardeSimulator
import VardeStore

/// Fresh, migrated databases for the arms of a run (a scratch schema each),
/// dropped after.
public protocol ScratchDatabases: Sendable {
    func with<T: Sendable>(_ body: (Database) async throws -> T) async throws -> T
}

/// `varde simulate`: the fleet played against the real application, arm by
/// arm, and the clinical-safety report.
public enum Simulation {
    public struct Options: Sendable {
        public var config: SimulationConfig
        public var arms: [Arm]
        /// Requests in flight at once.
        public var concurrency: Int
        public var progress: Bool

        public init(config: SimulationConfig, arms: [Arm] = Arm.allCases, concurrency: Int = 16, progress: Bool = true) {
            self.config = config
            self.arms = arms
            self.concurrency = concurrency
            self.progress = progress
        }
    }

    public struct Figures: Sendable, Codable {
        public var arm: Arm
        public var seconds: Double
        public var requests: Int
        public var readingsSent: Int
        public var readingsStored: Int
        public var nurseSteps: Int
        public var refusalExamples: [String]
        /// Stored, not computed, so that `--json` carries them.
        public var readingsPerSecond: Double
        public var requestsPerSecond: Double

        init(arm: Arm, seconds: Double, ledger: Ledger.State) {
            self.arm = arm
            self.seconds = seconds
            requests = ledger.requests
            readingsSent = ledger.readingsSent
            readingsStored = ledger.created.count
            nurseSteps = ledger.nurseSteps
            refusalExamples = ledger.examples
            readingsPerSecond = seconds > 0 ? Double(ledger.readingsSent) / seconds : 0
            requestsPerSecond = seconds > 0 ? Double(ledger.requests) / seconds : 0
        }
    }

    public struct Result: Sendable {
        public var fleet: Fleet
        public var outcomes: [ArmOutcome]
        public var report: SafetyReport
        public var figures: [Figures]
        public var latencies: [Latencies.Summary]
        public var seconds: Double
    }

    /// In process: each arm on a scratch database of its own, the application on a simulated clock.
    public static func run(
        _ options: Options, configuration: Configuration, scratch: any ScratchDatabases, logger: Logger
    ) async throws -> Result {
        try await play(options) { arm, fleet, latencies, progress in
            try await scratch.with { database in
                let server = try await SimulationServer.inProcess(
                    database: database, configuration: configuration, start: fleet.config.start, logger: logger)
                do {
                    let r = try await ArmRunner(
                        fleet: fleet, arm: arm, server: server, latencies: latencies, concurrency: options.concurrency, progress: progress
                    ).run()
                    await server.stop()
                    return r
                } catch {
                    await server.stop()
                    throw error
                }
            }
        }
    }

    /// Against a running server (`--live URL`), in real time: the fleet starts now.
    public static func live(_ options: Options, url: String, developmentKey: String) async throws -> Result {
        let server = try SimulationServer.live(url: url, keyPath: developmentKey)
        return try await play(options) { arm, fleet, latencies, progress in
            try await ArmRunner(
                fleet: fleet, arm: arm, server: server, latencies: latencies, concurrency: options.concurrency, progress: progress
            )
            .run()
        }
    }

    private static func play(
        _ options: Options,
        _ arm: (Arm, Fleet, Latencies, ProgressBar?) async throws -> (outcome: ArmOutcome, ledger: Ledger.State)
    ) async throws -> Result {
        let started = ContinuousClock.now
        let fleet = Fleet.make(options.config)
        let latencies = Latencies()
        let progress = options.progress ? ProgressBar(arms: options.arms.count) : nil
        var outcomes: [ArmOutcome] = []
        var figures: [Figures] = []
        for a in options.arms {
            let armStarted = ContinuousClock.now
            let (outcome, ledger) = try await arm(a, fleet, latencies, progress)
            outcomes.append(outcome)
            figures.append(Figures(arm: a, seconds: (ContinuousClock.now - armStarted).seconds, ledger: ledger))
        }
        return Result(
            fleet: fleet, outcomes: outcomes, report: SafetyReport.make(fleet, outcomes), figures: figures,
            latencies: latencies.summaries(), seconds: (ContinuousClock.now - started).seconds)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
