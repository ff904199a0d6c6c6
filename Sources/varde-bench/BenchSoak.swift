import ArgumentParser
import Foundation
import NIOConcurrencyHelpers
import VardeCLI
import VardeStore

/// `varde-bench soak`: the top batched ingest rate is measured first (the
/// ceiling of this run); then readings go in at half of it for `minutes`
/// while nurses long-poll their team's feed. Every minute: the rate, ingest
/// p50/p99, polls answered, the process's resident memory and the
/// projector's lag and the WAL written per reading. At the end: whether p99
/// and memory stayed flat through the second half.
struct BenchSoak: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak", abstract: "Half the top ingest rate for minutes, with nurses long-polling: memory and p99 per minute.")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Minutes at half the top rate.")
    var minutes: Int = 10

    @Option(help: "Seconds to measure the top rate.")
    var ceilingSeconds: Double = 10

    @Option(help: "Nurses long-polling their team's feed.")
    var nurses: Int = 8

    @Option(help: "Patients (each with a bound oximeter).")
    var patients: Int = 200

    func run() async throws { try await reporting { try await runCommand() } }

    func runCommand() async throws {
        try await BenchServer.run(
            options, poolSize: 10, httpConnections: 64,
            header: "varde-bench soak — \(minutes) min at half the top rate, \(nurses) nurses long-polling, \(patients) patients"
        ) {
            try await soak($0)
        }
    }

    private func soak(_ server: BenchServer) async throws {
        let team = try await server.createTeam("Soak kommune")
        let gatewayKey = try await server.createGateway(serving: [team])
        let bound = try await server.enroll(patients, team: team, firstNationalID: 0, serialPrefix: "SOAK-OX")
        let factory = ReadingFactory(serials: bound.map(\.serial), runID: "s\(UInt32.random(in: 0...UInt32.max))", breachEvery: 50)
        let load = IngestLoad(server: server, gatewayKey: gatewayKey, factory: factory)
        _ = try await load.run(clients: 4, batch: 10, seconds: 1, clientOffset: 90_000)
        let top = try await load.run(clients: 32, batch: 100, seconds: ceilingSeconds, clientOffset: 80_000)
        let pace = top.rate / 2
        print("ceiling: \(BenchFormat.rate(top.rate)) readings/s batched; soaking at \(BenchFormat.rate(pace)) readings/s (0.50 of it)")

        let polls = Polls(server: server, team: team, token: server.token(.nurse, teams: [team]))
        let nurses = self.nurses
        let pollers = Task { try await polls.run(nurses) }
        print("minute  readings/s  ×ceiling   p50 ms   p99 ms  failed  polls  RSS MiB  projector behind  WAL B/reading  FPIs")
        var rows: [(p99: Double, rss: Double)] = []
        var wal = try await Self.walWritten(server)
        for minute in 1...minutes {
            let answered = polls.answered
            let figures = try await load.run(clients: 16, batch: 100, seconds: 60, pace: pace, clientOffset: minute * 1_000)
            let (p50, p99) = (figures.latencies.percentile(50), figures.latencies.percentile(99))
            let rss = Self.residentMiB()
            let behind = try await server.database.withConnection { c in
                try c.query(
                    "SELECT (SELECT coalesce(max(position), 0) FROM events) - coalesce((SELECT position FROM subscriptions WHERE name = $1), 0)",
                    [Projector.subscriptionName]
                ).requireInt(0, 0)
            }
            let walNow = try await Self.walWritten(server)
            defer { wal = walNow }
            let walPerReading = Double(walNow.bytes - wal.bytes) / Double(max(figures.readings, 1))
            rows.append((p99, rss))
            print(
                String(minute).leftPad(6) + BenchFormat.rate(figures.rate).leftPad(12)
                    + String(format: "%.2f", figures.rate / top.rate).leftPad(10) + BenchFormat.ms(p50).leftPad(9)
                    + BenchFormat.ms(p99).leftPad(9) + String(figures.failures).leftPad(8) + String(polls.answered - answered).leftPad(7)
                    + String(format: "%.0f", rss).leftPad(9) + "\(behind) events".leftPad(18)
                    + String(format: "%.0f", walPerReading).leftPad(15) + String(walNow.fullPages - wal.fullPages).leftPad(8))
        }
        pollers.cancel()
        _ = try? await pollers.value
        guard rows.count >= 4 else { return }
        // Flat = no creep in the second half. Memory grows while caches fill and
        // the first checkpoints set the allocator's high-water mark, so the second
        // half is held against the half-way minute; p99 moves with checkpoints,
        // so medians of the halves (minute 1 warms up) are compared.
        let half = rows.count / 2
        let p99Ratio = Self.median(rows[half...].map(\.p99)) / max(Self.median(rows[1..<half].map(\.p99)), 0.001)
        let rssRatio = rows[rows.count - 1].rss / max(rows[half - 1].rss, 1), warmUp = rows[half - 1].rss / max(rows[1].rss, 1)
        print(
            "flat: p99 median of minutes \(half + 1)–\(rows.count) / of minutes 2–\(half) \(String(format: "%.2f", p99Ratio)) "
                + "(≤ 1.5: \(BenchFormat.met(p99Ratio <= 1.5))), memory minute \(rows.count) / minute \(half) "
                + "\(String(format: "%.2f", rssRatio)) (≤ 1.1: \(BenchFormat.met(rssRatio <= 1.1))); "
                + "warm-up, minute 2 → \(half): memory \(String(format: "%.2f", warmUp))")
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The cluster's WAL so far (pg_stat_wal): bytes and full-page images. A
    /// checkpoint makes the next change of every page write the whole page.
    static func walWritten(_ server: BenchServer) async throws -> (bytes: Int64, fullPages: Int64) {
        try await server.database.withConnection { c in
            let r = try c.query("SELECT wal_bytes::bigint, wal_fpi FROM pg_stat_wal")
            return (try r.requireInt(0, 0), try r.requireInt(0, 1))
        }
    }

    /// The resident memory of this process (server and load together), from /proc.
    static func residentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({ Double($0) })
        else { return 0 }
        return kb / 1024
    }

    /// Nurses following the team's feed with long polls, as the web app does.
    final class Polls: Sendable {
        let server: BenchServer
        let team: UUID
        let token: String
        private let count = NIOLockedValueBox(0)

        init(server: BenchServer, team: UUID, token: String) {
            (self.server, self.team, self.token) = (server, team, token)
        }

        var answered: Int { count.withLockedValue { $0 } }

        func run(_ nurses: Int) async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for nurse in 0..<nurses {
                    let token = server.key.sign(subject: "soak-nurse-\(nurse)", role: .nurse, teams: [team], ttl: 7200)
                    group.addTask {
                        var after = ""
                        while !Task.isCancelled {
                            let reply = try await self.server.send(
                                .GET, "/v1/teams/\(self.team)/alerts?wait=25" + (after.isEmpty ? "" : "&after=\(after)"), token: token,
                                body: nil)
                            if reply.status == 200, let next = reply.object["next"] as? String { after = next }
                            self.count.withLockedValue { $0 += 1 }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
