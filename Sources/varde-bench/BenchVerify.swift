import ArgumentParser
import Foundation
import VardeCLI
import VardeStore

/// `varde-bench verify`: events/second of each `varde verify` check over a
/// generated log (hash chains, projection replay and compare, alert rule
/// re-evaluation), beside the rate of merely reading the same rows with
/// `COPY … TO STDOUT` as the ceiling.
struct BenchVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verification throughput against a COPY ceiling.")

    @OptionGroup var options: DatabaseOptions
    @OptionGroup var log: BenchLogOptions

    static let copySQL = """
        COPY (SELECT stream_id, version, event_id, type, schema_version, recorded_at, data, metadata, hash
              FROM events ORDER BY stream_id, version) TO STDOUT
        """

    func run() async throws { try await reporting { try await runCommand() } }

    func runCommand() async throws {
        let setup = try await BenchLogSetup.make(options, log)
        do {
            print("varde-bench verify — \(try await setup.scratch.settings())")
            // The projection check compares with live read models: build them first.
            _ = try await BenchRebuild.rebuild(setup, pageSize: 5000)
            let database = setup.database, logger = setup.scratch.logger

            var lines: [(String, Int, Double, String)] = []
            let copy = try await Self.time { try await database.withConnection { try $0.copyOut(Self.copySQL) } }
            lines.append(
                (
                    "COPY … TO STDOUT (ceiling)", copy.value.rows, copy.seconds,
                    String(format: "%.0f MB/s", Double(copy.value.bytes) / copy.seconds / 1e6)
                ))
            let chains = try await Self.time { try await database.withConnection { try ChainVerifier().verify($0) } }
            lines.append(
                (
                    "hash chains (ChainVerifier)", chains.value.events, chains.seconds,
                    "\(chains.value.streams) streams, \(chains.value.breaks.count) breaks"
                ))
            let projections = try await Self.time { try await ProjectionVerifier(database: database, logger: logger).verify() }
            lines.append(
                (
                    "projection replay + compare", projections.value.events, projections.seconds,
                    "\(projections.value.differences.count) differences"
                ))
            let alerts = try await Self.time { try await AlertVerifier().verify(database) }
            lines.append(
                (
                    "alert rules (AlertVerifier)", alerts.value.events, alerts.seconds,
                    "\(alerts.value.differences.count) differences"
                ))

            let ceiling = Double(copy.value.rows) / copy.seconds
            print("check                            events  seconds   events/s  of COPY  target ≥ 50000/s  notes")
            for (name, events, seconds, notes) in lines {
                let rate = Double(events) / seconds
                let target = name.hasPrefix("COPY") ? "" : BenchFormat.met(rate >= 50_000)
                print(
                    BenchFormat.cell(name, 29) + String(events).leftPad(10) + String(format: "%.2f", seconds).leftPad(9)
                        + BenchFormat.rate(rate).leftPad(11) + String(format: "%.0f %%", rate / ceiling * 100).leftPad(9)
                        + "  " + BenchFormat.cell(target, 16) + "  " + notes)
            }
            let all = chains.seconds + projections.seconds + alerts.seconds
            print(
                "all three checks: \(String(format: "%.2f", all)) s = \(BenchFormat.rate(Double(chains.value.events) / all)) events/s for the whole `varde verify`"
            )
        } catch {
            print("benchmark failed: \(error)")
        }
        await setup.finish(keep: log.keep)
    }

    static func time<T: Sendable>(_ body: () async throws -> T) async throws -> (value: T, seconds: Double) {
        let started = ContinuousClock.now
        let value = try await body()
        return (value, (ContinuousClock.now - started).seconds)
    }
}
