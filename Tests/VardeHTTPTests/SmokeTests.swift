import Foundation
import Testing

@Suite("HTTP: end to end")
struct SmokeTests {
    @Test("a gateway posts, the alert reaches the nurse's feed, she acknowledges it")
    func gatewayToNurse() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let post = try await client.request(
                .post, "/v1/readings", token: world.gatewayKey,
                json: [
                    "readings": [
                        ["id": "r-1", "deviceSerial": "OX-1", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 84]
                    ]
                ])
            #expect(post.status == .ok)
            let results = post.object["results"] as? [[String: Any]]
            #expect(results?.first?["status"] as? String == "created")
            let feed = try await client.request(.get, "/v1/teams/\(world.kommune)/alerts?wait=5", token: world.nurse)
            let alerts = feed.object["alerts"] as? [[String: Any]] ?? []
            #expect(alerts.count == 1)
            #expect(alerts.first?["severity"] as? String == "red")
            #expect(alerts.first?["patientId"] as? String == world.patient.uuidString.lowercased())
            let id = try #require(alerts.first?["id"] as? String)
            let ack = try await client.request(.post, "/v1/alerts/\(id)/acknowledge", token: world.nurse, json: ["note": "ringte"])
            #expect(ack.status == .ok)
            #expect(ack.object["state"] as? String == "acknowledged")
        }
    }
}
