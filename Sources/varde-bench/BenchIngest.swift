import ArgumentParser
import Foundation
import VardeCLI
import VardeStore

/// `varde-bench ingest`: readings/second through `POST /v1/readings` on the
/// real server (in this process, loopback HTTP), batches of 100 from N clients
/// and single readings from 32 clients, with request latency p50/p99.
struct BenchIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "HTTP ingest throughput and latency.")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Seconds per scenario.")
    var seconds: Double = 10

    @Option(help: "Concurrent clients for the batched scenario.")
    var clients: Int = 32

    @Option(help: "Patients (each with a bound oximeter) the readings are spread over.")
    var patients: Int = 200

    @Option(help: "Which scenarios to run: all, batched or single.")
    var scenario: Scenario = .all

    enum Scenario: String, ExpressibleByArgument { case all, batched, single }

    @Option(name: .customLong("pool-size"), help: "The server's database connections (as `varde serve --pool-size`).")
    var poolSize: Int = 10

    func run() async throws { try await reporting { try await runCommand() } }

    func runCommand() async throws {
        try await BenchServer.run(
            options, poolSize: poolSize, httpConnections: max(clients, 32) + 8,
            header: "varde-bench ingest — \(Int(seconds)) s per scenario, \(patients) patients, server pool \(poolSize)"
        ) {
            try await measure($0)
        }
    }

    private func measure(_ server: BenchServer) async throws {
        let seeded = ContinuousClock.now
        let team = try await server.createTeam("Bench kommune")
        let gatewayKey = try await server.createGateway(serving: [team])
        let bound = try await server.enroll(patients, team: team, firstNationalID: 0, serialPrefix: "BENCH-OX")
        print("seeded \(patients) patients with bound oximeters in \(String(format: "%.1f", (ContinuousClock.now - seeded).seconds)) s")
        let factory = ReadingFactory(serials: bound.map(\.serial), runID: "r\(UInt32.random(in: 0...UInt32.max))", breachEvery: 50)
        let load = IngestLoad(server: server, gatewayKey: gatewayKey, factory: factory)
        // Warm up (connections, caches) briefly; not counted.
        _ = try await load.run(clients: 4, batch: 10, seconds: 1, clientOffset: 10_000)

        print("scenario                          clients  readings/s   req/s   p50 ms   p99 ms  failed  target")
        if scenario != .single {
            let batched = try await load.run(clients: clients, batch: 100, seconds: seconds)
            print(
                line("batches of 100 per POST", clients, batched)
                    + "  ≥ 10000 readings/s: \(BenchFormat.met(batched.rate >= 10_000))")
        }
        if scenario != .batched {
            if scenario == .all { try await settle(server) }
            let singles = try await load.run(clients: 32, batch: 1, seconds: seconds, clientOffset: 1_000)
            let p99 = singles.latencies.percentile(99)
            print(line("1 reading per POST", 32, singles) + "  p99 < 50 ms: \(BenchFormat.met(p99 < 50))")
        }
        let alerts = try await server.database.withConnection { try $0.query("SELECT count(*) FROM alerts").requireInt(0, 0) }
        let events = try await server.database.withConnection { try $0.query("SELECT count(*) FROM events").requireInt(0, 0) }
        print("log after the run: \(events) events, \(alerts) alerts (about 1 reading in 50 breaches SpO2 red)")
    }

    /// Waits until the projector has caught up with the log, so that the next
    /// scenario does not start behind the previous one's backlog; says how long that took.
    private func settle(_ server: BenchServer) async throws {
        let start = ContinuousClock.now
        while true {
            let behind = try await server.database.withConnection { c in
                try c.query(
                    """
                    SELECT (SELECT coalesce(max(position), 0) FROM events)
                         - coalesce((SELECT position FROM subscriptions WHERE name = $1), 0)
                    """, [Projector.subscriptionName]
                ).requireInt(0, 0)
            }
            if behind <= 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        print("(the projector caught up with the previous scenario in \(BenchFormat.ms((ContinuousClock.now - start).seconds * 1000)) ms)")
    }

    private func line(_ name: String, _ clients: Int, _ f: IngestLoad.Figures) -> String {
        BenchFormat.cell(name, 34) + String(clients).leftPad(7) + BenchFormat.rate(f.rate).leftPad(12)
            + BenchFormat.rate(Double(f.requests) / f.seconds).leftPad(8)
            + BenchFormat.ms(f.latencies.percentile(50)).leftPad(9) + BenchFormat.ms(f.latencies.percentile(99)).leftPad(9)
            + String(f.failures).leftPad(8)
    }
}
