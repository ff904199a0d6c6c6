import ArgumentParser
import Foundation
import VardeCLI
import VardeCore
import VardeStore

/// `varde-bench alerts`: the time from a breaching reading's POST to its alert
/// change appearing in a nurse's waiting long poll, per alert, while gateway
/// load runs at half the top batched rate measured first in the same run.
struct BenchAlerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alerts", abstract: "Reading-to-long-poll alert latency under load.")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Seconds of probing under load (the top rate is measured first, for a third of this, at most 5 s).")
    var seconds: Double = 10

    @Option(help: "Concurrent clients for the background load.")
    var clients: Int = 32

    @Option(help: "Patients the background load is spread over.")
    var patients: Int = 200

    @Option(name: .customLong("pool-size"), help: "The server's database connections (as `varde serve --pool-size`).")
    var poolSize: Int = 10

    func run() async throws { try await reporting { try await runCommand() } }

    func runCommand() async throws {
        try await BenchServer.run(
            options, poolSize: poolSize, httpConnections: clients + 16,
            header: "varde-bench alerts — \(Int(seconds)) s under load, server pool \(poolSize)"
        ) {
            try await measure($0)
        }
    }

    private func measure(_ server: BenchServer) async throws {
        let loadTeam = try await server.createTeam("Bench load")
        let probeTeam = try await server.createTeam("Bench probe")
        let gatewayKey = try await server.createGateway(serving: [loadTeam, probeTeam])
        let loaded = try await server.enroll(patients, team: loadTeam, firstNationalID: 0, serialPrefix: "BENCH-OX")
        let probes = try await server.enroll(20, team: probeTeam, firstNationalID: 100_000, serialPrefix: "BENCH-PROBE")
        let runID = "r\(UInt32.random(in: 0...UInt32.max))"
        let load = IngestLoad(
            server: server, gatewayKey: gatewayKey,
            factory: ReadingFactory(serials: loaded.map(\.serial), runID: runID, breachEvery: 50))
        _ = try await load.run(clients: 4, batch: 10, seconds: 1, clientOffset: 10_000)

        let topSeconds = min(5, max(1, seconds / 3))
        let top = try await load.run(clients: clients, batch: 100, seconds: topSeconds, clientOffset: 20_000)
        let half = top.rate / 2
        print(
            "top batched rate: \(BenchFormat.rate(top.rate)) readings/s over \(String(format: "%.1f", top.seconds)) s; background load at \(BenchFormat.rate(half)) readings/s"
        )

        // The nurse's poller: holds GET …/alerts?after=&wait=30 open, notes when each change arrives.
        let nurse = server.token(.nurse, teams: [probeTeam])
        let feedPath = "/v1/teams/\(probeTeam.lowercasedText)/alerts"
        let start = try await server.send(.GET, feedPath, token: nurse, body: nil)
        guard start.status == 200, let first = start.object["next"] as? String else {
            throw BenchError("the alert feed answered \(start.status): \(start.text)")
        }
        let arrivals = Arrivals()
        let poller = Task {
            var cursor = first
            while !Task.isCancelled {
                guard let reply = try? await server.send(.GET, feedPath + "?after=\(cursor)&wait=30&limit=500", token: nurse, body: nil)
                else { break }
                let now = ContinuousClock.now
                guard reply.status == 200 else {
                    print("  long poll answered \(reply.status): \(reply.text.prefix(300))")
                    break
                }
                let page = reply.object
                for item in page["alerts"] as? [[String: Any]] ?? [] {
                    if let patient = item["patientId"] as? String { arrivals.add(patient.lowercased(), at: now) }
                }
                if let next = page["next"] as? String { cursor = next }
            }
        }

        // Background load at half the top rate, and probes on their own team meanwhile.
        let clients = clients, seconds = seconds
        let background = Task { try await load.run(clients: clients, batch: 100, seconds: seconds + 1, pace: half, clientOffset: 30_000) }
        try await Task.sleep(for: .milliseconds(500))
        var latencies = Latencies()
        var missed = 0, n = 0
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            let probe = probes[n % probes.count]
            let patient = probe.patient.lowercasedText
            // One breach (SpO2 84, red) on the probe patient's oximeter; it raises or updates that patient's alert.
            let body =
                #"{"readings":["#
                + ReadingFactory.item(
                    serial: probe.serial, id: "\(runID)-probe-\(n)", n: n, at: ReadingFactory.stamp(Date()), breach: true) + "]}"
            n += 1
            let sent = ContinuousClock.now
            let reply = try await server.send(.POST, "/v1/readings", token: gatewayKey, body: body)
            guard reply.status == 200, reply.text.contains(#""status":"created""#) else {
                print("  probe reading answered \(reply.status): \(reply.text.prefix(300))")
                missed += 1
                continue
            }
            // The poller notes the arrival time; wait (5 s at most) until it has seen this change.
            var seen: ContinuousClock.Instant?
            let giveUp = ContinuousClock.now + .seconds(5)
            while seen == nil, ContinuousClock.now < giveUp {
                seen = arrivals.take(patient, after: sent)
                if seen == nil { try await Task.sleep(for: .milliseconds(1)) }
            }
            if let seen { latencies.add(seen - sent) } else { missed += 1 }
            try await Task.sleep(for: .milliseconds(Int.random(in: 10...40)))
        }
        let loadFigures = try await background.value
        poller.cancel()

        print(
            "background load: \(BenchFormat.rate(loadFigures.rate)) readings/s achieved, request p50 \(BenchFormat.ms(loadFigures.latencies.percentile(50))) ms, p99 \(BenchFormat.ms(loadFigures.latencies.percentile(99))) ms, \(loadFigures.failures) failed"
        )
        print("alerts measured   p50 ms   p99 ms   max ms  missed  target")
        let p99 = latencies.percentile(99)
        print(
            String(latencies.count).leftPad(15) + BenchFormat.ms(latencies.percentile(50)).leftPad(9)
                + BenchFormat.ms(p99).leftPad(9) + BenchFormat.ms(latencies.largest).leftPad(9) + String(missed).leftPad(8)
                + "  p99 < 100 ms: \(BenchFormat.met(p99 < 100))")
    }
}

/// When the poller saw each probe patient's changes.
final class Arrivals: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String: [ContinuousClock.Instant]] = [:]

    func add(_ patient: String, at instant: ContinuousClock.Instant) {
        lock.lock()
        seen[patient, default: []].append(instant)
        lock.unlock()
    }

    /// The first arrival for `patient` at or after `sent`, removing it and any earlier.
    func take(_ patient: String, after sent: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        lock.lock()
        defer { lock.unlock() }
        let list = seen[patient] ?? []
        guard let index = list.firstIndex(where: { $0 >= sent }) else { return nil }
        seen[patient] = Array(list[(index + 1)...])
        return list[index]
    }
}
