import Foundation
import Testing

/// Issue 15, defect 4: a FHIR search by identifier put the fødselsnummer in
/// the request log with the query. Request logs carry the route template.
@Suite("HTTP: request log")
struct RequestLogTests {
    @Test("one line per request with method, route template, status and duration; never the path's values or the query")
    func templatesOnly() async throws {
        let capture = LogCapture()
        let person = World.nationalIDs[0]
        try await TestApp.run(logger: capture.logger()) { client in
            let world = try await World.make(client, nationalID: person)
            _ = try await client.request(
                .get, "/fhir/Observation?subject:identifier=urn:oid:2.16.578.1.12.4.1.4.1%7C\(person)", token: world.nurse)
            _ = try await client.request(
                .get, "/fhir/Observation?subject:identifier=urn:oid:2.16.578.1.12.4.1.4.1|\(person)", token: world.nurse)
            _ = try await client.request(.post, "/v1/patients/search", token: world.nurse, json: ["nationalId": person])
            let view = try await client.request(.get, "/v1/patients/\(world.patient)", token: world.nurse)
            #expect(view.status == .ok)
        }
        let lines = capture.all.filter { $0.contains(" request ") }
        #expect(!capture.text.contains(person), "a national identifier reached the log")
        #expect(lines.contains { $0.contains("route=/v1/patients/{patientId}") && $0.contains("status=200") && $0.contains("method=GET") })
        #expect(lines.contains { $0.contains("route=/fhir/Observation") })
        #expect(lines.allSatisfy { $0.contains("ms=") })
        #expect(!lines.contains { $0.contains("subject:identifier") })
    }
}
