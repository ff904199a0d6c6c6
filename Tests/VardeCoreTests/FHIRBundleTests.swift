import Foundation
import Testing
import VardeCore

private func fixtureJSON(_ name: String, patientReference: Bool = true) throws -> String {
    let text = String(decoding: try FHIRFixtures.data(name), as: UTF8.self)
    return patientReference ? text.replacingOccurrences(of: "Patient/example", with: "Patient/\(FHIRFixtures.patient)") : text
}

private func entry(_ resource: String, method: String = "POST", url: String = "Observation") -> String {
    #"{"fullUrl":"urn:uuid:\#(UUID())","request":{"method":"\#(method)","url":"\#(url)"},"resource":\#(resource)}"#
}

private func bundle(_ type: String, _ entries: [String]) -> Data {
    Data(#"{"resourceType":"Bundle","type":"\#(type)","entry":[\#(entries.joined(separator: ","))]}"#.utf8)
}

private func string(_ value: some Encodable) throws -> String {
    String(decoding: try FHIRJSON.encode(value), as: UTF8.self)
}

@Suite struct FHIRBundleTests {
    @Test func batchWithMixedEntriesMapsEachEntryOnItsOwn() throws {
        let body = bundle(
            "batch",
            [
                entry(try fixtureJSON("observation-example-bloodpressure.json")),
                entry(try fixtureJSON("observation-example.json")),
                entry(try fixtureJSON("observation-example-heart-rate.json"), method: "PUT", url: "Observation/heart-rate"),
                entry(#"{"resourceType":"Patient","id":"p1"}"#),
                entry(
                    try fixtureJSON("observation-example-heart-rate.json").replacingOccurrences(
                        of: #""status": "final""#, with: #""status": "registered""#)),
                entry(
                    try fixtureJSON("observation-example-body-temperature.json").replacingOccurrences(
                        of: #""value": 36.5"#, with: #""value": "36.5""#)),
                #"{"resource":\#(try fixtureJSON("observation-example-heart-rate.json"))}"#,
                entry(try fixtureJSON("observation-example-satO2.json", patientReference: false), url: "/Observation"),
            ])
        let (mode, results) = try FHIRBundleReader.read(FHIRJSON.decode(FHIRBundle.self, from: body, root: "Bundle"))
        #expect(mode == .batch)
        #expect(results.map(\.index) == Array(0..<8))
        #expect(try results[0].submission.get().systolic == 107)
        #expect(try results[1].submission.get().unit == "[lb_av]")
        #expect(results[0].fullUrl?.hasPrefix("urn:uuid:") == true)
        let failures = results.compactMap { result -> (Int, String)? in
            guard case .failure(let error) = result.submission else { return nil }
            return (error.status, error.expression)
        }
        #expect(
            failures.map(\.1) == [
                "Bundle.entry[2].request.method",
                "Bundle.entry[3].resource.resourceType",
                "Bundle.entry[4].resource.status",
                "Bundle.entry[5].resource.valueQuantity.value",
                "Bundle.entry[6].request",
                "Bundle.entry[7].resource.subject.reference",
            ])
        #expect(failures.map(\.0) == [400, 400, 422, 400, 400, 422])
    }

    @Test func transactionIsRecognisedAndGatewayRecorded() throws {
        let observation = try fixtureJSON("observation-example-heart-rate.json").replacingOccurrences(
            of: #""status": "final","#,
            with:
                #""status": "final", "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/observation-gatewayDevice", "valueReference": {"reference": "Device/hub-9"}}],"#
        )
        let (mode, results) = try FHIRBundleReader.read(
            FHIRJSON.decode(FHIRBundle.self, from: bundle("transaction", [entry(observation)]), root: "Bundle"))
        #expect(mode == .transaction && mode.responseType == "transaction-response")
        #expect(results.first?.gatewayDevice == "hub-9")
        #expect(try results.first?.submission.get().value == 44)
    }

    @Test(arguments: ["collection", "searchset", "document", "batch-response"])
    func onlyBatchAndTransactionAreAccepted(_ type: String) throws {
        let decoded = try FHIRJSON.decode(FHIRBundle.self, from: bundle(type, []), root: "Bundle")
        #expect(throws: FHIRMappingError.badRequest("must be batch or transaction", at: "Bundle.type", code: "not-supported")) {
            try FHIRBundleReader.read(decoded)
        }
    }

    @Test(arguments: [
        ("not json", "Bundle"),
        (#"{"resourceType":"Bundle","entry":[]}"#, "Bundle.type"),
        (#"{"resourceType":"Bundle","type":"batch","entry":{}}"#, "Bundle.entry"),
    ])
    func undecodableBundlesAreBadRequests(_ json: String, _ expression: String) {
        #expect {
            try FHIRJSON.decode(FHIRBundle.self, from: Data(json.utf8), root: "Bundle")
        } throws: { error in
            let e = error as? FHIRMappingError
            return e?.status == 400 && e?.expression == expression
        }
    }

    @Test func batchResponseHasOneEntryPerOutcome() throws {
        let created = UUID(uuidString: "11111111-2222-3333-4444-555555555555")!
        let existing = UUID(uuidString: "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE")!
        let failure = FHIRMappingError(.implausible(field: "/value", value: 12, limit: "50–100 %"), kind: .spo2).inBundleEntry(2)
        let response = FHIRBundleBuilder.response(
            mode: .batch, outcomes: [.created(eventID: created), .duplicate(eventID: existing), .failed(failure)],
            timestamp: FHIRFixtures.date("2025-01-01T12:00:00Z"))
        #expect(response.type == "batch-response")
        let responses = (response.entry ?? []).compactMap(\.response)
        #expect(responses.map(\.status) == ["201 Created", "200 OK", "422 Unprocessable Entity"])
        #expect(
            responses.map(\.location) == [
                "Observation/11111111-2222-3333-4444-555555555555", "Observation/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", nil,
            ])
        let issue = try #require(responses[2].outcome?.issue.first)
        #expect(issue.severity == "error" && issue.code == "value")
        #expect(issue.expression == ["Bundle.entry[2].resource.valueQuantity.value"])
        let json = try string(response)
        #expect(
            json.hasPrefix(
                #"{"entry":[{"response":{"location":"Observation/11111111-2222-3333-4444-555555555555","status":"201 Created"}}"#))
        #expect(json.hasSuffix(#""resourceType":"Bundle","timestamp":"2025-01-01T12:00:00Z","type":"batch-response"}"#))
        #expect(try string(response) == json)
        #expect(FHIRBundleBuilder.response(mode: .transaction, outcomes: []).type == "transaction-response")
    }

    @Test func operationOutcomeBuilder() throws {
        let outcome = FHIROperationOutcome.error(code: "not-found", diagnostics: "patient not found", expression: "Observation.subject")
        #expect(
            try string(outcome)
                == #"{"issue":[{"code":"not-found","diagnostics":"patient not found","expression":["Observation.subject"],"severity":"error"}],"resourceType":"OperationOutcome"}"#
        )
        #expect(
            FHIROperationOutcome(.badRequest("is required", at: "Bundle.type", code: "required")).issue
                == [.init(severity: "error", code: "required", diagnostics: "is required", expression: ["Bundle.type"])])
    }

    static let bloodPressure = FHIRReadingRecord(
        eventID: UUID(uuidString: "5F1B7E2A-0C9D-4B8E-A1F3-6D2C4E8B9A07")!, patientID: FHIRFixtures.patient,
        value: .bloodPressure(systolic: 142.5, diastolic: 91, pulse: 77),
        measuredAt: FHIRFixtures.date("2025-02-03T07:15:30Z").addingTimeInterval(0.5),
        receivedAt: FHIRFixtures.date("2025-02-03T07:16:02Z"), deviceSerial: "OMRON-M7-0042",
        gatewayReadingID: "urn:ietf:rfc:3986|urn:uuid:187e0c12-8dd2-67e2-99b2-bf273c878281")

    @Test func renderedWeightIsExactDeterministicJSON() throws {
        let record = FHIRReadingRecord(
            eventID: UUID(uuidString: "00000000-0000-4000-8000-000000000001")!, patientID: FHIRFixtures.patient,
            value: .weight(kg: 83.915), measuredAt: FHIRFixtures.date("2016-03-28T10:00:00Z"),
            receivedAt: FHIRFixtures.date("2016-03-28T10:00:05Z"), gatewayReadingID: "scale-7")
        let json = try string(FHIRObservationRenderer.observation(for: record))
        #expect(
            json
                == #"{"category":[{"coding":[{"code":"vital-signs","display":"Vital Signs","system":"http://terminology.hl7.org/CodeSystem/observation-category"}],"text":"Vital Signs"}],"#
                + #""code":{"coding":[{"code":"29463-7","display":"Body weight","system":"http://loinc.org"}],"text":"Body weight"},"#
                + #""effectiveDateTime":"2016-03-28T10:00:00Z","id":"00000000-0000-4000-8000-000000000001","identifier":[{"value":"scale-7"}],"#
                + #""issued":"2016-03-28T10:00:05Z","resourceType":"Observation","status":"final","#
                + #""subject":{"reference":"Patient/0b5e7f0c-3c2a-4e59-9a57-1d1f6c6e2a10"},"#
                + #""valueQuantity":{"code":"kg","system":"http://unitsofmeasure.org","unit":"kg","value":83.915}}"#)
    }

    @Test func renderedBloodPressureHasComponentsAndMapsBackToTheSameReading() throws {
        let record = Self.bloodPressure
        let o = FHIRObservationRenderer.observation(for: record)
        #expect(o.status == "final")
        #expect(o.effectiveDateTime == "2025-02-03T07:15:30.5Z" && o.issued == "2025-02-03T07:16:02Z")
        #expect(o.device == FHIRReference(reference: "Device/OMRON-M7-0042"))
        #expect(o.identifier == [FHIRIdentifier(system: "urn:ietf:rfc:3986", value: "urn:uuid:187e0c12-8dd2-67e2-99b2-bf273c878281")])
        #expect(o.component?.map { $0.code?.coding?.first?.code } == ["8480-6", "8462-4", "8867-4"])
        #expect(o.component?.map { $0.valueQuantity?.code } == ["mm[Hg]", "mm[Hg]", "/min"])
        let decoded = try FHIRJSON.decode(FHIRObservation.self, from: FHIRJSON.encode(o), root: "Observation")
        let s = try FHIRObservationMapper.submission(from: decoded)
        #expect(s.gatewayReadingID == record.gatewayReadingID && s.deviceSerial == record.deviceSerial)
        #expect(s.subject == .patient(record.patientID) && s.measuredAt == record.measuredAt)
        #expect(try ReadingValidator.validate(s, receivedAt: record.receivedAt, maxFutureSkew: 0) == record.value)
    }

    @Test(arguments: [MeasurementValue.spo2(percent: 93), .pulse(perMinute: 58), .temperature(celsius: 38.25), .weight(kg: 0.5 + 70)])
    func everyKindRoundTrips(_ value: MeasurementValue) throws {
        var record = Self.bloodPressure
        record.value = value
        record.deviceSerial = "serial with spaces/and slash"
        record.gatewayReadingID = "content:\(value.kind.rawValue)|patient/x|2025|kg|1/-/-/-"
        let o = FHIRObservationRenderer.observation(for: record)
        #expect(o.device == FHIRReference(identifier: FHIRIdentifier(value: "serial with spaces/and slash")))
        let s = try FHIRObservationMapper.submission(from: o)
        #expect(s.kind == value.kind && s.deviceSerial == record.deviceSerial && s.gatewayReadingID == record.gatewayReadingID)
        #expect(try ReadingValidator.validate(s, receivedAt: record.receivedAt, maxFutureSkew: 0) == value)
    }

    @Test func voidedReadingsAreEnteredInError() {
        var record = Self.bloodPressure
        record.voided = true
        #expect(FHIRObservationRenderer.observation(for: record).status == "entered-in-error")
    }

    @Test func searchsetListsMatchesWithFullURLs() throws {
        var second = Self.bloodPressure
        second.eventID = UUID(uuidString: "00000000-0000-4000-8000-000000000002")!
        let page = FHIRBundleBuilder.searchset(
            [Self.bloodPressure, second], total: 7, baseURL: "https://varde.example/fhir/",
            selfURL: "https://varde.example/fhir/Observation?patient=x", nextURL: "https://varde.example/fhir/Observation?patient=x&page=2")
        #expect(page.type == "searchset" && page.total == 7)
        #expect(
            page.entry?.map(\.fullUrl) == [
                "https://varde.example/fhir/Observation/5f1b7e2a-0c9d-4b8e-a1f3-6d2c4e8b9a07",
                "https://varde.example/fhir/Observation/00000000-0000-4000-8000-000000000002",
            ])
        #expect(page.entry?.allSatisfy { $0.search?.mode == "match" } == true)
        #expect(page.link?.map(\.relation) == ["self", "next"])
        guard case .observation(let first) = page.entry?.first?.resource else {
            Issue.record("entry holds no Observation")
            return
        }
        #expect(first.id == "5f1b7e2a-0c9d-4b8e-a1f3-6d2c4e8b9a07")
        let json = try string(page)
        #expect(json.contains(#""fullUrl":"https://varde.example/fhir/Observation/5f1b7e2a"#))
        #expect(FHIRBundleBuilder.searchset([], baseURL: "https://x/fhir").total == 0)
    }
}
