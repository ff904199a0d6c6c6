import Foundation
import Hummingbird
import VardeHTTP
import VardeStore

/// The world plus one recorded reading that raised a red alert: enough to
/// give every route of the role table a real patient, team, reading and alert.
struct AccessScenario: Sendable {
    var world: World
    var readingID: UUID
    var alertID: UUID
    /// The patient's thresholds as JSON, to send back in a valid `PUT …/thresholds`.
    var thresholdsJSON: String

    static func make(_ client: Client) async throws -> AccessScenario {
        let world = try await World.make(client)
        let post = try await client.request(
            .post, "/v1/readings", token: world.gatewayKey,
            json: [
                "readings": [
                    ["id": "r-1", "deviceSerial": "OX-1", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 84]
                ]
            ])
        guard let reading = ((post.object["results"] as? [[String: Any]])?.first?["eventId"] as? String).flatMap(UUID.init(uuidString:))
        else {
            throw SeedError("reading: \(post.status) \(post.text)")
        }
        let feed = try await client.request(.get, "/v1/teams/\(world.kommune)/alerts?wait=5", token: world.nurse)
        guard let alert = ((feed.object["alerts"] as? [[String: Any]])?.first?["id"] as? String).flatMap(UUID.init(uuidString:)) else {
            throw SeedError("alert: \(feed.status) \(feed.text)")
        }
        let view = try await client.request(.get, "/v1/patients/\(world.patient)", token: world.clinician)
        guard let thresholds = view.object["thresholds"] else { throw SeedError("view: \(view.status) \(view.text)") }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: thresholds), as: UTF8.self)
        return AccessScenario(world: world, readingID: reading, alertID: alert, thresholdsJSON: json)
    }

    /// A route's path with its parameters filled in from this scenario.
    func fill(_ template: String) -> String {
        let values = [
            "{patientId}": world.patient.uuidString.lowercased(), "{teamId}": world.kommune.uuidString.lowercased(),
            "{gatewayId}": world.gateway.uuidString.lowercased(), "{keyId}": "00000000000000aa",
            "{alertId}": alertID.uuidString.lowercased(), "{readingId}": readingID.uuidString.lowercased(),
            "{observationId}": readingID.uuidString.lowercased(),
            "{serial}": "OX-1", "{deviceId}": "OX-1",
        ]
        var path = template
        for (name, value) in values { path = path.replacingOccurrences(of: name, with: value) }
        while let open = path.firstIndex(of: "{"), let close = path[open...].firstIndex(of: "}") {
            path.replaceSubrange(open...close, with: UUID().uuidString.lowercased())
        }
        return path
    }
}

/// Reading the database behind the API.
extension Client {
    struct AccessRow: Sendable, Equatable {
        var requestID: String
        var subject: String
        var role: String
        var patient: UUID?
        var action: String
        var route: String
        var outcome = "allowed"
    }

    func accessLog() async throws -> [AccessRow] {
        try await database.withConnection { c in
            let r = try c.query("SELECT request_id, subject, role, patient_id, action, route, outcome FROM access_log ORDER BY id")
            return (0..<r.rowCount).map { row in
                AccessRow(
                    requestID: r.string(row, 0) ?? "", subject: r.string(row, 1) ?? "", role: r.string(row, 2) ?? "",
                    patient: r.string(row, 3).flatMap(UUID.init(uuidString:)), action: r.string(row, 4) ?? "",
                    route: r.string(row, 5) ?? "", outcome: r.string(row, 6) ?? "")
            }
        }
    }

    /// How many rows `sql` (a `SELECT count(*) …`) counts.
    func count(_ sql: String, _ parameters: [String] = []) async throws -> Int64 {
        try await database.withConnection { c in try c.query(sql, parameters).int(0, 0) ?? -1 }
    }
}
