import Foundation
import NIOHTTP1
import VardeCore
import VardeSimulator

/// Plays one arm of a run against a server: set the fleet up, then tick by
/// tick move the clock, post what the gateways send in that tick, run the
/// overdue sweep, and let the nurses on shift read their feeds and act; at the
/// end read every alert back.
struct ArmRunner {
    let fleet: Fleet
    let arm: Arm
    let server: SimulationServer
    let latencies: Latencies
    let concurrency: Int
    let progress: ProgressBar?

    func run() async throws -> (outcome: ArmOutcome, ledger: Ledger.State) {
        let api = APIClient(base: server.base, connections: concurrency, latencies: latencies)
        do {
            let result = try await play(api)
            await api.shutdown()
            return result
        } catch {
            await api.shutdown()
            throw error
        }
    }

    private func play(_ api: APIClient) async throws -> (outcome: ArmOutcome, ledger: Ledger.State) {
        let config = fleet.config
        try await server.advance(to: config.start)
        let tokens = TokenDesk(key: server.key, clock: server.clock)
        let ledger = Ledger()
        let roster = try await Roster.setUp(fleet, api: api, tokens: tokens, concurrency: concurrency)
        let uploader = Uploader(fleet: fleet, roster: roster, api: api, ledger: ledger)
        let nurses = NurseStation(fleet: fleet, roster: roster, api: api, tokens: tokens, ledger: ledger)
        let individualiseTick = Int((Double(config.baselineDays) * 86_400 / config.tickSeconds).rounded())
        var cursor = 0
        for k in 1...config.ticks {
            let t = config.start.addingTimeInterval(Double(k) * config.tickSeconds)
            try await server.advance(to: t)
            if arm == .individualised, k == individualiseTick {
                try await individualise(roster: roster, api: api, tokens: tokens)
            }
            var due: [Upload] = []
            while cursor < fleet.uploads.count, config.tick(at: fleet.uploads[cursor].sendAt) <= t {
                due.append(fleet.uploads[cursor])
                cursor += 1
            }
            if !due.isEmpty {
                // Each gateway's requests in order; gateways at once, as the server meets them.
                let byHub = Dictionary(grouping: due, by: \.hub).values.map { $0.sorted { ($0.sendAt, $0.index) < ($1.sendAt, $1.index) } }
                try await forEach(byHub, concurrency: concurrency) { uploads in
                    for u in uploads { try await uploader.post(u) }
                } collect: { _ in
                }
            }
            if let sweep = server.sweep { try await sweep.sweep(now: t) }
            if NurseStation.isShiftCheck(t, config: config) { try await nurses.round(act: true) }
            progress?.update(arm: arm, tick: k, of: config.ticks, days: config.days, ledger: ledger)
        }
        // The feeds are read models: give the projector a moment, then read every feed to its end.
        var alerts: [ObservedAlert] = []
        for attempt in 0..<40 {
            try await Task.sleep(for: .milliseconds(attempt == 0 ? 200 : 250))
            try await nurses.round(act: false)
            alerts = try await Harvest.alerts(
                fleet: fleet, roster: roster, api: api, tokens: tokens, ledger: ledger, seen: nurses.seen, concurrency: concurrency)
            if alerts.allSatisfy({ $0.teamsSeen.contains(fleet.patients[$0.patient].kommuneTeam) }) { break }
        }
        let state = ledger.snapshot
        return (ArmOutcome(arm: arm, alerts: alerts, created: state.created, refused: state.refused, duplicates: state.duplicates), state)
    }

    /// A clinician sets each patient's individual thresholds, from the readings of the baseline days.
    private func individualise(roster: Roster, api: APIClient, tokens: TokenDesk) async throws {
        let sets = fleet.individualThresholds()
        let encoder = JSONEncoder()
        try await forEach(fleet.patients, concurrency: concurrency) { p in
            let thresholds = try JSONSerialization.jsonObject(with: try encoder.encode(sets[p.index]!))
            let reply = try await api.send(
                .PUT, "/v1/patients/\(roster.patients[p.index].uuidString.lowercased())/thresholds",
                token: Roster.clinician(p, roster.teams, tokens),
                json: ["thresholds": thresholds, "reason": "individualised from \(fleet.config.baselineDays) baseline days"],
                kind: "PUT /v1/patients/{id}/thresholds")
            guard reply.status == 200 else {
                throw SimulationError("setting individual thresholds failed: \(reply.status) \(reply.text.prefix(300))")
            }
        } collect: { _ in
        }
    }
}
