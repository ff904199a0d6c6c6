import Foundation
import NIOHTTP1
import Synchronization
import VardeAuth
import VardeCore
import VardeSimulator

/// The follow-up nurses: on weekday day shifts (08:00–15:30) each team's nurse
/// reads the team's feed every half hour from where she left off; the kommune
/// nurse calls the patient about each open alert, then acknowledges and
/// resolves it (the sykehus nurse reads: red alerts are hers to see, the
/// kommune service follows up). What each team's feed showed is kept, to
/// check the routing.
final class NurseStation: Sendable {
    let fleet: Fleet
    let roster: Roster
    let api: APIClient
    let tokens: TokenDesk
    let ledger: Ledger
    private let state = Mutex<(cursors: [Int: String], seen: [UUID: Set<Int>], handled: Set<UUID>)>(([:], [:], []))

    init(fleet: Fleet, roster: Roster, api: APIClient, tokens: TokenDesk, ledger: Ledger) {
        self.fleet = fleet
        self.roster = roster
        self.api = api
        self.tokens = tokens
        self.ledger = ledger
    }

    /// Whether `t` is a feed check of a day shift: weekdays 08:00–15:30 local, on the half hour.
    static func isShiftCheck(_ t: Date, config: SimulationConfig) -> Bool {
        let local = t.timeIntervalSince(SimulationConfig.defaultStart)
        let day = Int((local / 86_400).rounded(.down))
        let minute = Int(local.truncatingRemainder(dividingBy: 86_400).rounded()) / 60
        let weekday = ((day % 7) + 7) % 7 < 5
        return weekday && minute >= 8 * 60 && minute <= 15 * 60 + 30 && minute % 30 == 0
    }

    var seen: [UUID: Set<Int>] { state.withLock { $0.seen } }

    /// One round of every team: read to the end of the feed, act on what is open.
    func round(act: Bool) async throws {
        try await forEach(fleet.teams, concurrency: 4) { team in
            try await self.read(team, act: act)
        } collect: { _ in
        }
    }

    private func read(_ team: SimTeam, act: Bool) async throws {
        let id = roster.teams[team.index]
        let nurse = tokens.token(.nurse, teams: [id], subject: "sim-nurse-\(team.index)")
        while true {
            let after = state.withLock { $0.cursors[team.index] }
            let path = "/v1/teams/\(id.uuidString.lowercased())/alerts?limit=500" + (after.map { "&after=\($0)" } ?? "")
            let reply = try await api.send(.GET, path, token: nurse, kind: "GET /v1/teams/{id}/alerts")
            guard reply.status == 200 else { throw SimulationError("the feed answered \(reply.status): \(reply.text.prefix(200))") }
            let entries = reply.object["alerts"] as? [[String: Any]] ?? []
            var open: [UUID] = []
            state.withLock { s in
                for e in entries {
                    guard let alert = (e["id"] as? String).flatMap(UUID.init(uuidString:)) else { continue }
                    s.seen[alert, default: []].insert(team.index)
                    if team.kind == .kommune, e["state"] as? String == "open", !s.handled.contains(alert) { open.append(alert) }
                }
                if let next = reply.object["next"] as? String { s.cursors[team.index] = next }
            }
            if act {
                for alert in Array(Set(open)) { try await followUp(alert, nurse: nurse) }
            }
            if entries.count < 500 { return }
        }
    }

    private func followUp(_ alert: UUID, nurse: String) async throws {
        state.withLock { _ = $0.handled.insert(alert) }
        let path = "/v1/alerts/\(alert.uuidString.lowercased())"
        // 409: resolved meanwhile (an overdue alert its reading resolved), nothing to do.
        let ack = try await api.send(
            .POST, path + "/acknowledge", token: nurse, json: ["note": "Ringte pasienten"], kind: "POST /v1/alerts/{id}/…")
        guard ack.status == 200 else { return }
        _ = try await api.send(.POST, path + "/resolve", token: nurse, json: ["note": "Fulgt opp"], kind: "POST /v1/alerts/{id}/…")
        ledger.update { $0.nurseSteps += 2 }
    }
}
