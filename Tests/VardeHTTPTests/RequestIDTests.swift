import Foundation
import HTTPTypes
import Testing

/// Every response names its request (`X-Request-Id`), and the id is the one
/// stored with what the request did.
@Suite("HTTP: request ids")
struct RequestIDTests {
    @Test("a reading's response carries the request id that its event's metadata stores; errors carry one too")
    func requestIDsCorrelate() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let reply = try await client.request(
                .post, "/v1/readings", token: w.gatewayKey,
                json: ["readings": [Client.item("rid-1", "pulse", 70)]])
            #expect(reply.status == .ok, "\(reply.text)")
            let id = try #require(reply.headers[HTTPField.Name("X-Request-Id")!])
            #expect(!id.isEmpty)
            try await client.settle()
            let stored = try await client.database.withConnection { c in
                try c.query("SELECT metadata->>'requestID' FROM events WHERE type = 'ReadingRecorded'").string(0, 0)
            }
            #expect(stored == id)

            let other = try await client.request(.get, "/v1/patients/\(w.patient)", token: w.clinician)
            #expect(other.headers[HTTPField.Name("X-Request-Id")!].map { !$0.isEmpty && $0 != id } == true)
            for failed in [
                try await client.request(.get, "/v1/patients/\(w.patient)"),
                try await client.request(.post, "/v1/readings", token: w.gatewayKey, raw: "{"),
                try await client.request(.post, "/fhir/Observation", token: w.gatewayKey, raw: "{", contentType: "application/fhir+json"),
            ] {
                #expect([.unauthorized, .badRequest].contains(failed.status), "\(failed.status)")
                #expect(failed.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false, "\(failed.status) \(failed.text)")
            }
        }
    }
}
