import ArgumentParser
import Foundation
import VardeCLI
import VardeStore

/// `varde-bench rebuild`: events/second of `ProjectionRebuild` (every read
/// model, from zero, through the live projector's code path) over a
/// generated log.
struct BenchRebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rebuild", abstract: "Projection rebuild throughput.")

    @OptionGroup var options: DatabaseOptions
    @OptionGroup var log: BenchLogOptions

    @Option(name: .customLong("page-size"), help: "Events per projector page (as `varde projections rebuild`).")
    var pageSize: Int = 5000

    func run() async throws { try await reporting { try await runCommand() } }

    func runCommand() async throws {
        let setup = try await BenchLogSetup.make(options, log)
        do {
            print("varde-bench rebuild — \(try await setup.scratch.settings())")
            let rate = try await Self.rebuild(setup, pageSize: pageSize)
            print("target ≥ 50000 events/s: \(BenchFormat.met(rate >= 50_000))")
        } catch {
            print("benchmark failed: \(error)")
        }
        await setup.finish(keep: log.keep)
    }

    /// Times one rebuild and prints its line; returns events/s.
    static func rebuild(_ setup: BenchLogSetup, pageSize: Int) async throws -> Double {
        let shown = ProgressMark()
        let started = ContinuousClock.now
        let count = try await ProjectionRebuild(database: setup.database, pageSize: pageSize).run { _, done in
            if shown.passes(done, every: 200_000) { print("  rebuilding: \(done) events…") }
        }
        let elapsed = (ContinuousClock.now - started).seconds
        let rows = try await setup.database.withConnection { c in
            try ["readings", "alerts", "alert_feed"].map { "\($0) \(try c.query("SELECT count(*) FROM \($0)").requireInt(0, 0))" }
        }
        let rate = Double(count) / elapsed
        print(
            "projection rebuild: \(count) events in \(String(format: "%.2f", elapsed)) s = \(BenchFormat.rate(rate)) events/s (page \(pageSize); rows: \(rows.joined(separator: ", ")))"
        )
        return rate
    }
}
