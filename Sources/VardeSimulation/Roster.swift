import Foundation
import VardeAuth
import VardeCore
import VardeSimulator

/// The fleet as the server knows it: what setting it up through the API
/// answered (team and patient ids, gateway ids and keys).
struct Roster: Sendable {
    var teams: [UUID]
    /// By `"<kommune team>/<transport>"`: one gateway of each kind a kommune team's patients use.
    var gateways: [String: (id: UUID, key: String)]
    var patients: [UUID]

    static func gatewayKey(team: Int, _ transport: Transport) -> String { "\(team)/\(transport.rawValue)" }

    func gateway(for patient: SimPatient) -> (id: UUID, key: String) {
        gateways[Self.gatewayKey(team: patient.kommuneTeam, patient.transport)]!
    }

    /// Sets the fleet up as an admin and clinicians would: teams, a gateway per
    /// kommune team and transport (the API key is shown once), patients
    /// enrolled with both their teams, their devices bound (by serial, and by
    /// EUI-64 for PHD gateways, whose patients also get the hub's patient id).
    static func setUp(_ fleet: Fleet, api: APIClient, tokens: TokenDesk, concurrency: Int) async throws -> Roster {
        let admin = tokens.token(.admin, teams: [], subject: "sim-admin")
        var teams: [UUID] = []
        for t in fleet.teams {
            let body: [String: Any] =
                t.kind == .kommune
                ? ["name": t.name, "kind": "kommune", "kommunenummer": t.place]
                : ["name": t.name, "kind": "sykehus", "healthTrust": t.place]
            let reply = try await api.send(.POST, "/v1/teams", token: admin, json: body, kind: "setup")
            guard reply.status == 201, let id = (reply.object["id"] as? String).flatMap(UUID.init(uuidString:)) else {
                throw SimulationError("creating team \(t.name) failed: \(reply.status) \(reply.text.prefix(300))")
            }
            teams.append(id)
        }
        var gateways: [String: (UUID, String)] = [:]
        for t in fleet.teams where t.kind == .kommune {
            for transport in Transport.allCases {
                let reply = try await api.send(
                    .POST, "/v1/gateways", token: admin,
                    json: ["name": "\(transport.rawValue) gateway, \(t.name)", "teams": [teams[t.index].uuidString]], kind: "setup")
                guard reply.status == 201, let key = reply.object["apiKey"] as? String,
                    let id = (reply.object["gatewayId"] as? String).flatMap(UUID.init(uuidString:))
                else { throw SimulationError("creating a gateway failed: \(reply.status) \(reply.text.prefix(300))") }
                gateways[gatewayKey(team: t.index, transport)] = (id, key)
            }
        }
        var patients = [UUID?](repeating: nil, count: fleet.patients.count)
        let created = teams
        try await forEach(fleet.patients, concurrency: concurrency) { p in
            let id = try await enrol(p, kommunenummer: fleet.teams[p.kommuneTeam].place, teams: created, api: api, tokens: tokens)
            return (p.index, id)
        } collect: {
            patients[$0.0] = $0.1
        }
        return Roster(teams: created, gateways: gateways, patients: patients.map { $0! })
    }

    static func clinician(_ p: SimPatient, _ teams: [UUID], _ tokens: TokenDesk) -> String {
        tokens.token(.clinician, teams: [teams[p.kommuneTeam], teams[p.sykehusTeam]], subject: "sim-clinician-\(p.kommuneTeam)")
    }

    static func enrol(_ p: SimPatient, kommunenummer: String, teams: [UUID], api: APIClient, tokens: TokenDesk) async throws -> UUID {
        let clinician = clinician(p, teams, tokens)
        let reply = try await api.send(
            .POST, "/v1/patients", token: clinician,
            json: [
                "nationalId": p.nationalID, "kommunenummer": kommunenummer, "program": p.program.rawValue,
                "teams": ["kommune": teams[p.kommuneTeam].uuidString, "sykehus": teams[p.sykehusTeam].uuidString],
            ], kind: "setup")
        // Never echo the body of a refused enrolment: it could name the national identifier.
        guard reply.status == 201, let id = (reply.object["id"] as? String).flatMap(UUID.init(uuidString:)) else {
            throw SimulationError("enrolling patient \(p.index) failed: \(reply.status)")
        }
        let phd = p.transport == .phdBundle
        if phd {
            let r = try await api.send(
                .PUT, "/v1/patients/\(id.uuidString.lowercased())/identifiers", token: clinician,
                json: ["identifiers": [["system": SimPatient.hubPatientSystem, "value": p.hubPatientID]]], kind: "setup")
            guard r.status == 200 else {
                throw SimulationError("registering the hub's patient id failed: \(r.status) \(r.text.prefix(300))")
            }
        }
        for d in p.devices {
            var body: [String: Any] = ["serial": p.serial(d), "kind": d.apiKind]
            if phd { body["identifiers"] = [["system": DeviceIdentity.eui64System, "value": p.eui64(d)]] }
            let r = try await api.send(
                .POST, "/v1/patients/\(id.uuidString.lowercased())/devices", token: clinician, json: body, kind: "setup")
            guard r.status == 201 else { throw SimulationError("binding \(p.serial(d)) failed: \(r.status) \(r.text.prefix(300))") }
        }
        return id
    }
}

/// Runs `body` for each item with at most `concurrency` at once; `collect` sees each result in the caller's context.
func forEach<T: Sendable, R: Sendable>(
    _ items: [T], concurrency: Int, _ body: @escaping @Sendable (T) async throws -> R, collect: (R) -> Void
) async throws {
    try await withThrowingTaskGroup(of: R.self) { group in
        var next = 0
        while next < min(concurrency, items.count) {
            let item = items[next]
            group.addTask { try await body(item) }
            next += 1
        }
        while let done = try await group.next() {
            collect(done)
            if next < items.count {
                let item = items[next]
                group.addTask { try await body(item) }
                next += 1
            }
        }
    }
}
