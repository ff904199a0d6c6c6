import Foundation
import Testing

/// Every kind of FHIR resource Varde answers with (Observation read,
/// searchset, OperationOutcome, batch- and transaction-response,
/// CapabilityStatement, Device, Patient), validated against FHIR R4 by the
/// `fhir.resources` models (Support/validate_fhir.py, in the venv that
/// deploy/python-tools.sh makes, as OpenAPITests finds it).
@Suite("FHIR R4: every resource Varde returns validates")
struct FHIRValidationTests {
    static let checker = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Support/validate_fhir.py")

    @Test("the responses of a walk through every FHIR route validate against R4 with fhir.resources")
    func responsesValidate() async throws {
        let validator = try #require(OpenAPITests.validator(), "the test venv is missing: run deploy/python-tools.sh")
        let (python, arguments) = try #require(OpenAPITests.interpreter(of: validator), "no Python for \(validator.path)")
        let samples = Samples()
        try await TestApp.run { client in
            let world = try await PHDGatewayTests.registered(client)
            func keep(_ label: String, _ reply: Client.Reply) async {
                await samples.add(
                    Sample(method: "", path: label, status: reply.status.code, contentType: reply.headers[.contentType], body: reply.text))
            }
            let phd =
                PHDFixture.shifted(try PHDFixture.load("bundle-example-1"), earliestAt: Date().addingTimeInterval(2)) as! [String: Any]
            await keep("transaction-response (PHD)", try await client.fhirPost("/fhir", world, phd))
            await keep("transaction-response (PHD, resent)", try await client.fhirPost("/fhir", world, phd))
            var entries = phd["entry"] as! [[String: Any]]
            var perfusion = entries[4]
            var resource = perfusion["resource"] as! [String: Any]
            resource["code"] = ["coding": [["system": "urn:iso:std:iso:11073:10101", "code": "150488"]]]
            perfusion["resource"] = resource
            perfusion["fullUrl"] = "urn:uuid:\(UUID().uuidString.lowercased())"
            entries.append(perfusion)
            var batch = phd
            batch["type"] = "batch"
            batch["entry"] =
                entries + [
                    [
                        "fullUrl": "urn:uuid:\(UUID())", "resource": ["resourceType": "Observation", "status": "final"],
                        "request": ["method": "POST", "url": "Observation"],
                    ]
                ]
            await keep("batch-response (warnings and errors)", try await client.fhirPost("/fhir", world, batch))

            let posted = try await client.fhirPost(
                "/fhir/Observation", world, FHIRFixture.spo2(95, patient: world.patient, identifier: "v-1"))
            #expect(posted.status == .created)
            await keep("Observation (created)", posted)
            await keep("Observation (read)", try await client.request(.get, posted.headers[.location] ?? "", token: world.nurse))
            for name in FHIRFixture.names {
                let body = try FHIRFixture.load(name, patient: world.patient, effective: World.time(3))
                await keep("Observation (\(name))", try await client.fhirPost("/fhir/Observation", world, body))
            }
            let path = "/fhir/Observation?patient=Patient/\(world.patient.uuidString.lowercased())"
            let page = try await client.request(.get, path + "&_count=2", token: world.nurse)
            await keep("searchset (first page)", page)
            #expect(page.text.contains("\"next\""))
            await keep("searchset (all)", try await client.request(.get, path, token: world.nurse))
            await keep("CapabilityStatement", try await client.request(.get, "/fhir/metadata"))
            await keep("Patient (nurse)", try await client.request(.get, "/fhir/Patient/\(world.patient)", token: world.nurse))
            await keep("Patient (gateway)", try await client.request(.get, "/fhir/Patient/\(world.patient)", token: world.gatewayKey))
            await keep("Device", try await client.request(.get, "/fhir/Device/00-1C-05-04-00-00-78-25", token: world.nurse))
            await keep("Device (bound by serial)", try await client.request(.get, "/fhir/Device/OX-1", token: world.nurse))
            await keep("OperationOutcome 400", try await client.fhirPost("/fhir", world, ["resourceType": "Bundle", "type": "collection"]))
            await keep("OperationOutcome 401", try await client.request(.get, path))
            await keep("OperationOutcome 403", try await client.request(.get, path, token: world.gatewayKey))
            await keep("OperationOutcome 404", try await client.request(.get, "/fhir/Device/nope", token: world.nurse))
            await keep(
                "OperationOutcome 422", try await client.fhirPost("/fhir/Observation", world, FHIRFixture.spo2(140, patient: world.patient))
            )
        }
        let all = await samples.all
        #expect(
            all.allSatisfy { $0.contentType == "application/fhir+json" },
            "\(all.filter { $0.contentType != "application/fhir+json" }.map(\.path))")
        let file = FileManager.default.temporaryDirectory.appending(path: "varde-fhir-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: all.map { ["label": "\($0.path) → \($0.status)", "body": $0.body] }).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try OpenAPITests.run(python, arguments + [Self.checker.path, file.path])
        #expect(status == 0, "\(output.prefix(8000))")
        for kind in [
            "Observation", "OperationOutcome", "CapabilityStatement", "Patient", "Device", "Bundle/searchset", "Bundle/batch-response",
            "Bundle/transaction-response",
        ] {
            #expect(output.contains(kind), "no \(kind) was checked: \(output.prefix(300))")
        }
    }

    @Test("the validator refuses what is not R4 (so a pass means something)")
    func validatorRefuses() throws {
        let validator = try #require(OpenAPITests.validator(), "the test venv is missing: run deploy/python-tools.sh")
        let (python, arguments) = try #require(OpenAPITests.interpreter(of: validator))
        let bad: [[String: String]] = [
            ["label": "unknown element", "body": #"{"resourceType":"Patient","nickname":"x"}"#],
            ["label": "no code", "body": #"{"resourceType":"Observation","status":"final"}"#],
            ["label": "status outside the value set", "body": #"{"resourceType":"Observation","status":"done","code":{"text":"x"}}"#],
            ["label": "no entry status", "body": #"{"resourceType":"Bundle","type":"transaction-response","entry":[{"response":{}}]}"#],
        ]
        let file = FileManager.default.temporaryDirectory.appending(path: "varde-fhir-bad-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: bad).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try OpenAPITests.run(python, arguments + [Self.checker.path, file.path])
        #expect(status == 1)
        #expect(output.components(separatedBy: "FAIL ").count - 1 == bad.count, "\(output)")
    }
}
