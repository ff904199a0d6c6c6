import Foundation
import Testing

@Suite("HTTP: FHIR batch and transaction Bundles")
struct FHIRBundleTests {
    static func bundle(_ type: String, _ resources: [[String: Any]]) -> [String: Any] {
        [
            "resourceType": "Bundle", "type": type,
            "entry": resources.enumerated().map { i, r in
                [
                    "fullUrl": "urn:uuid:\(UUID().uuidString.lowercased())", "resource": r,
                    "request": ["method": "POST", "url": "Observation"],
                ] as [String: Any]
            },
        ]
    }

    static func responses(_ reply: Client.Reply) -> [[String: Any]] {
        (reply.object["entry"] as? [[String: Any]] ?? []).map { $0["response"] as? [String: Any] ?? [:] }
    }

    @Test("batch: each entry answered on its own, bad ones with an OperationOutcome naming the element")
    func batch() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            var noStatus = FHIRFixture.spo2(95, patient: world.patient, at: 2, identifier: "b-2")
            noStatus.removeValue(forKey: "status")
            let entries = [
                FHIRFixture.spo2(96, patient: world.patient, at: 1, identifier: "b-1"),
                FHIRFixture.spo2(101, patient: world.patient, at: 2, identifier: "b-implausible"),
                try FHIRFixture.load("observation-example-bloodpressure", patient: world.patient, effective: World.time(3)),
                noStatus,
                FHIRFixture.spo2(95, patient: UUID(), at: 2, identifier: "b-unknown"),
            ]
            let reply = try await client.fhirPost("/fhir", world, Self.bundle("batch", entries))
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.headers[.contentType] == "application/fhir+json")
            #expect(reply.object["type"] as? String == "batch-response")
            let r = Self.responses(reply)
            #expect(
                r.map { $0["status"] as? String } == [
                    "201 Created", "422 Unprocessable Entity", "201 Created", "422 Unprocessable Entity", "404 Not Found",
                ])
            #expect((r[0]["location"] as? String)?.hasPrefix("Observation/") == true)
            func expression(_ i: Int) -> [String]? {
                (((r[i]["outcome"] as? [String: Any])?["issue"] as? [[String: Any]])?.first)?["expression"] as? [String]
            }
            #expect((r[1]["outcome"] as? [String: Any])?["resourceType"] as? String == "OperationOutcome")
            #expect(expression(1) == ["Bundle.entry[1].resource.valueQuantity.value"])
            #expect(expression(3) == ["Bundle.entry[3].resource.status"])
            #expect(expression(4) == ["Bundle.entry[4].resource.subject"])
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 2)

            // the same batch again: stored ones are 200 with the same location, nothing new stored
            let again = try await client.fhirPost("/fhir", world, Self.bundle("batch", entries))
            let r2 = Self.responses(again)
            #expect(
                r2.map { $0["status"] as? String } == [
                    "200 OK", "422 Unprocessable Entity", "200 OK", "422 Unprocessable Entity", "404 Not Found",
                ])
            #expect(r2[0]["location"] as? String == r[0]["location"] as? String)
            #expect(r2[2]["location"] as? String == r[2]["location"] as? String)
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 2)
        }
    }

    @Test("transaction: all stored together, or nothing when one entry is bad")
    func transaction() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let good = [
                FHIRFixture.spo2(96, patient: world.patient, at: 1, identifier: "t-1"),
                try FHIRFixture.load("observation-example-heart-rate", patient: world.patient, effective: World.time(2)),
            ]
            for bad in [
                FHIRFixture.spo2(101, patient: world.patient, at: 3, identifier: "t-bad"),  // fails in validation
                FHIRFixture.spo2(95, patient: UUID(), at: 3, identifier: "t-unknown"),  // fails in resolution
                ["resourceType": "Observation", "status": "final"],  // fails in mapping
            ] {
                let reply = try await client.fhirPost("/fhir", world, Self.bundle("transaction", good + [bad]))
                #expect((400..<500).contains(Int(reply.status.code)), "\(reply.text)")
                #expect(reply.headers[.contentType] == "application/fhir+json")
                #expect(reply.object["resourceType"] as? String == "OperationOutcome")
                let expression = ((reply.object["issue"] as? [[String: Any]])?.first?["expression"] as? [String])?.first
                #expect(expression?.hasPrefix("Bundle.entry[2]") == true, "\(reply.text)")
                #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 0)
            }
            let ok = try await client.fhirPost("/fhir", world, Self.bundle("transaction", good))
            #expect(ok.status == .ok, "\(ok.text)")
            #expect(ok.object["type"] as? String == "transaction-response")
            #expect(Self.responses(ok).map { $0["status"] as? String } == ["201 Created", "201 Created"])
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 2)
            let retried = try await client.fhirPost("/fhir", world, Self.bundle("transaction", good))
            #expect(Self.responses(retried).map { $0["status"] as? String } == ["200 OK", "200 OK"])
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 2)
        }
    }

    @Test("a Bundle of another type, or a non-Bundle, is a 400 OperationOutcome")
    func wrongBundle() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let reply = try await client.fhirPost("/fhir", world, ["resourceType": "Bundle", "type": "collection", "entry": []])
            FHIRIngestTests.expectOutcome(reply, .badRequest, expression: "Bundle.type")
            let notBundle = try await client.fhirPost("/fhir", world, FHIRFixture.spo2(95, patient: world.patient))
            FHIRIngestTests.expectOutcome(notBundle, .badRequest)
        }
    }
}
