import Foundation
import Testing
import VardeHTTP

/// `POST /v1/patients/{id}/thresholds/preview`: the what-if of the threshold
/// editor, on the real application and database.
@Suite("Threshold preview", .serialized)
struct ThresholdPreviewEndpointTests {
    /// The patient's oximeter sends 92, 88 and 84 (kols defaults: yellow ≤ 89, red ≤ 85).
    /// Measured from a second ahead: `World.time` drops the fraction, and a time
    /// before the device was bound (earlier in the same second) is refused.
    static func seed(_ client: Client, _ w: World) async throws {
        let readings = [("pv-1", 92), ("pv-2", 88), ("pv-3", 84)].enumerated().map { i, r in
            ["id": r.0, "deviceSerial": "OX-1", "measuredAt": World.time(Double(i + 1)), "kind": "spo2", "unit": "%", "value": r.1]
        }
        let reply = try await client.request(.post, "/v1/readings", token: w.gatewayKey, json: ["readings": readings])
        try #require(reply.status == .ok, "\(reply.text)")
        let results = reply.object["results"] as? [[String: Any]] ?? []
        try #require(results.map { $0["status"] as? String } == ["created", "created", "created"], "\(reply.text)")
    }

    static func path(_ w: World) -> String { "/v1/patients/\(w.patient)/thresholds/preview" }

    @Test(
        "a stricter set: one alert from the first reading, red by the second; what was raised beside it; nothing stored but the access log")
    func stricterSet() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            try await Self.seed(client, w)
            let events = try await client.count("SELECT count(*) FROM events")
            let proposed: [String: Any] = ["spo2Low": ["yellow": 92, "red": 88], "expected": [] as [Any]]
            let reply = try await client.request(.post, Self.path(w), token: w.clinician, json: ["thresholds": proposed, "days": 3])
            try #require(reply.status == .ok, "\(reply.text)")
            let body = reply.object
            #expect(body["days"] as? Int == 3 && body["readings"] as? Int == 3, "\(reply.text)")
            let would = try #require(body["wouldRaise"] as? [[String: Any]])
            let raised = try #require(body["raised"] as? [[String: Any]])
            #expect(would.count == 1 && raised.count == 1)
            #expect(would.first?["value"] as? Double == 92 && would.first?["severity"] as? String == "red")
            #expect(would.first?["breachCount"] as? Int == 3 && would.first?["inBoth"] as? Bool == false)
            #expect(would.first?["alertId"] == nil, "a proposed-only alert has no id of a real alert")
            #expect(raised.first?["value"] as? Double == 88 && raised.first?["limit"] as? Double == 89)
            #expect(raised.first?["alertId"] is String && raised.first?["inBoth"] as? Bool == false)
            let totals = try #require(body["totals"] as? [String: Any])
            #expect(totals["wouldRaise"] as? Int == 1 && totals["raised"] as? Int == 1 && totals["inBoth"] as? Int == 0)
            #expect(totals["wouldRaiseRed"] as? Int == 1 && totals["raisedRed"] as? Int == 1)
            #expect(try await client.count("SELECT count(*) FROM events") == events, "a preview stored events")
            let log = try await client.accessLog().filter { $0.action == "previewThresholds" }
            #expect(log.count == 1 && log.first?.patient == w.patient && log.first?.outcome == "allowed")
        }
    }

    @Test("the set in force gives back exactly what was raised, with the same alert ids")
    func sameSet() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            try await Self.seed(client, w)
            let view = try await client.request(.get, "/v1/patients/\(w.patient)", token: w.clinician)
            let thresholds = try #require(view.object["thresholds"])
            let reply = try await client.request(.post, Self.path(w), token: w.clinician, json: ["thresholds": thresholds, "days": 1])
            try #require(reply.status == .ok, "\(reply.text)")
            let would = (reply.object["wouldRaise"] as? [[String: Any]] ?? []).compactMap { $0["alertId"] as? String }
            let raised = (reply.object["raised"] as? [[String: Any]] ?? []).compactMap { $0["alertId"] as? String }
            #expect(would.count == 1 && would == raised)
        }
    }

    @Test(
        "bad input is a 4xx problem with a pointer, never a 5xx",
        arguments: [
            (#"{"thresholds":{"expected":[]},"days":0}"#, 422, "/days"),
            (#"{"thresholds":{"expected":[]},"days":366}"#, 422, "/days"),
            (#"{"thresholds":{"expected":[]},"days":"7"}"#, 400, "/days"),
            (#"{"thresholds":{"expected":[]},"days":1.5}"#, 400, "/days"),
            (#"{"thresholds":{"expected":[]}}"#, 400, "/days"),
            (#"{"days":7}"#, 400, "/thresholds"),
            (#"{"thresholds":{"spo2Low":{"yellow":85,"red":90},"expected":[]},"days":7}"#, 422, "/thresholds/spo2Low/red"),
            (#"{"thresholds":{"spo2Low":{},"expected":[]},"days":7}"#, 422, "/thresholds/spo2Low"),
            (
                #"{"thresholds":{"expected":[{"kind":"spo2","intervalHours":0,"graceHours":1}]},"days":7}"#, 422,
                "/thresholds/expected/0/intervalHours"
            ),
            (
                #"{"thresholds":{"expected":[{"kind":"blood","intervalHours":1,"graceHours":1}]},"days":7}"#, 400,
                "/thresholds/expected/0/kind"
            ),
        ])
    func badInput(_ body: String, _ status: Int, _ pointer: String) async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let reply = try await client.request(.post, Self.path(w), token: w.clinician, raw: body)
            #expect(Int(reply.status.code) == status, "\(body): \(reply.status.code) \(reply.text)")
            #expect(reply.headers[.contentType] == "application/problem+json")
            let pointers = (reply.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
            #expect(pointers == [pointer], "\(body): \(reply.text)")
        }
    }

    @Test("a nurse may not preview (403); an unknown patient is 404")
    func roles() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let body: [String: Any] = ["thresholds": ["expected": [] as [Any]], "days": 7]
            let nurse = try await client.request(.post, Self.path(w), token: w.nurse, json: body)
            #expect(nurse.status == .forbidden)
            let unknown = try await client.request(.post, "/v1/patients/\(UUID())/thresholds/preview", token: w.clinician, json: body)
            #expect(unknown.status == .notFound)
        }
    }
}
