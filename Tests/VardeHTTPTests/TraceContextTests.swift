import Foundation
import HTTPTypes
import Testing

/// Issue 16: an incoming W3C `traceparent` is kept, logged with the request,
/// and put in the metadata of the events the request records.
@Suite("Operations: trace context")
struct TraceContextTests {
    @Test("a valid traceparent reaches the request log and the events' metadata; a malformed one is ignored")
    func traceparent() async throws {
        let capture = LogCapture()
        let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        try await TestApp.run(logger: capture.logger()) { client in
            let w = try await World.make(client)
            let reading: [String: Any] = [
                "id": "t-1", "deviceSerial": "OX-1", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 95,
            ]
            let header = HTTPField.Name("traceparent")!
            let reply = try await client.request(
                .post, "/v1/readings", token: w.gatewayKey, json: ["readings": [reading]], headers: [header: traceparent])
            #expect(reply.status == .ok)
            #expect(try await client.count("SELECT count(*) FROM events WHERE metadata->>'traceparent' = $1", [traceparent]) == 1)
            let bad = try await client.request(
                .post, "/v1/readings", token: w.gatewayKey, json: ["readings": [reading.merging(["id": "t-2"]) { $1 }]],
                headers: [header: "00-00000000000000000000000000000000-00f067aa0ba902b7-01"])
            #expect(bad.status == .ok)
            #expect(try await client.count("SELECT count(*) FROM events WHERE metadata ? 'traceparent'") == 1)
        }
        #expect(capture.all.contains { $0.contains(" request ") && $0.contains("trace_id=4bf92f3577b34da6a3ce929d0e0e4736") })
    }
}
