import Foundation
import Testing
import VardeCore

/// The patient state keeps only the latest readings of each kind
/// (`PatientState.retainedPerKind`); what it forgets is still found: a retry
/// of an old reading is a duplicate, a reused old id a conflict, an old
/// reading can be voided once, and one request naming a reading twice stores
/// it once.
@Suite("HTTP: readings the state no longer retains")
struct RetentionTests {
    static func spo2(_ id: String, _ value: Double, at time: String) -> [String: Any] {
        RetryRuleTests.spo2(id, value, at: time)
    }

    @Test("an old reading resent is a duplicate, reused is a conflict, voided once; a repeat inside a request is stored once")
    func forgottenReadings() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let count = PatientState.retainedPerKind + 5
            let times = (0..<count).map { World.time(2 + Double($0) * 0.05) }
            let readings = (0..<count).map { Self.spo2("old\($0)", 96, at: times[$0]) }
            let (reply, created) = try await client.ingestPost(w, readings)
            #expect(created.count == count && created.allSatisfy { $0["status"] as? String == "created" }, "\(reply.text.prefix(300))")
            let firstID = try #require(created.first?["eventId"] as? String)

            let (_, again) = try await client.ingestPost(w, [readings[0]])
            #expect(again.first?["status"] as? String == "duplicate" && again.first?["eventId"] as? String == firstID)
            let (_, reused) = try await client.ingestPost(w, [Self.spo2("old0", 80, at: times[0])])
            #expect((reused.first?["error"] as? [String: Any])?["pointer"] as? String == "/readings/0/value", "\(reused)")

            let void = try await client.request(.post, "/v1/readings/\(firstID)/void", token: w.nurse, json: ["reason": "feil pasient"])
            #expect(void.status == .ok, "\(void.text)")
            let twice = try await client.request(.post, "/v1/readings/\(firstID)/void", token: w.nurse, json: ["reason": "feil pasient"])
            #expect(twice.status == .conflict, "\(twice.text)")

            // One request, one reading twice (and measured before every retained one).
            let early = Self.spo2("early", 95, at: World.time(1))
            let (_, pair) = try await client.ingestPost(w, [early, early])
            #expect(pair.map { $0["status"] as? String } == ["created", "duplicate"], "\(pair)")
            #expect(pair[0]["eventId"] as? String == pair[1]["eventId"] as? String)
            let (_, clash) = try await client.ingestPost(w, [Self.spo2("twin", 95, at: times[1]), Self.spo2("twin", 82, at: times[1])])
            #expect(clash.map { $0["status"] as? String } == ["created", "conflict"], "\(clash)")
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == count + 2)
            #expect(try await client.ingestEventCount(type: "ReadingVoided") == 1)
        }
    }
}
