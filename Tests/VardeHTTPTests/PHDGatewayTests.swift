import Foundation
import Testing
import VardeCore
import VardeHTTP

/// What a Continua/PHD gateway sends (HL7 PHD IG transaction Bundles), with
/// the IG's own examples: accepted once the patient and the devices are
/// registered, each the right reading, a resend a no-op.
@Suite("HTTP: PHD gateways (HL7 Personal Health Device IG)")
struct PHDGatewayTests {
    /// The examples' patient registered for the world's patient; the example Bundle's
    /// gateway and pulse oximeter bound by their EUI-64 (and Bluetooth address).
    static func registered(_ client: Client) async throws -> World {
        let world = try await World.make(client)
        try await client.registerPHDPatient(world.patient, clinician: world.clinician)
        let phg = try await client.bindPHD(
            world.patient, clinician: world.clinician, kind: "gateway", identifiers: [(PHDFixture.eui64, "4C-4E-49-12-34-56-FF-FF")])
        #expect(phg.status == .created, "\(phg.text)")
        let oximeter = try await client.bindPHD(
            world.patient, clinician: world.clinician, kind: "pulseOximeter",
            identifiers: [(PHDFixture.eui64, "00-1C-05-04-00-00-78-25"), (PHDFixture.bluetooth, "00:1c:05:00:78:25")])
        #expect(oximeter.status == .created, "\(oximeter.text)")
        return world
    }

    static func readings(_ client: Client, _ world: World) async throws -> [[String: Any]] {
        try await client.ingestReadings(world.patient, token: world.nurse)
    }

    @Test(
        "bundle-example-1: the Patient and both Devices resolve, SpO2 98 and pulse 47 are stored with the clock offset, a resend stores nothing"
    )
    func bundleExample() async throws {
        try await TestApp.run { client in
            let world = try await Self.registered(client)
            let start = Date().addingTimeInterval(2)
            let bundle = PHDFixture.shifted(try PHDFixture.load("bundle-example-1"), earliestAt: start) as! [String: Any]
            let events = try await client.ingestEventCount()
            let reply = try await client.fhirPost("/fhir", world, bundle)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.object["type"] as? String == "transaction-response")
            let r = client.entryResponses(reply)
            #expect(r.map { $0["status"] as? String } == ["200 OK", "200 OK", "200 OK", "200 OK", "201 Created", "201 Created"])
            #expect(r[0]["location"] as? String == "Patient/\(world.patient.uuidString.lowercased())")
            #expect(r[1]["location"] as? String == "Device/4C-4E-49-12-34-56-FF-FF")
            #expect(r[2]["location"] as? String == "Device/00-1C-05-04-00-00-78-25")
            // The coincident timestamp is taken, not kept, and the entry says so.
            #expect(r[3]["location"] == nil)
            let warning = ((r[3]["outcome"] as? [String: Any])?["issue"] as? [[String: Any]])?.first
            #expect(warning?["severity"] as? String == "warning")
            #expect((warning?["diagnostics"] as? String)?.contains("coincident timestamp") == true)
            #expect((r[4]["location"] as? String)?.hasPrefix("Observation/") == true)

            let stored = try await Self.readings(client, world)
            #expect(stored.count == 2)
            let byKind = Dictionary(uniqueKeysWithValues: stored.map { ($0["kind"] as? String ?? "", $0) })
            #expect((byKind["spo2"]?["value"] as? [String: Any])?["value"] as? Double == 98)
            #expect((byKind["pulse"]?["value"] as? [String: Any])?["value"] as? Double == 47)
            #expect(byKind["spo2"]?["deviceSerial"] as? String == "00-1C-05-04-00-00-78-25")
            // Measured at the gateway's time, as sent (the gateway placed it on its timeline): 12:40:16.936-04:00, shifted.
            let measured = PHDFixture.parse(
                PHDFixture.shifted(
                    "2019-09-20T12:40:16.936-04:00",
                    by: start.timeIntervalSince(
                        PHDFixture.parse("2019-09-20T12:40:07.936-04:00")!.instant
                    ).rounded(.up)) as! String)!.instant
            let spo2At = try #require(byKind["spo2"]?["measuredAt"] as? String)
            #expect(abs((PHDFixture.parse(spo2At)?.instant ?? .distantPast).timeIntervalSince(measured)) < 0.001, "\(spo2At)")
            // The device clock's offset (09.000 − 07.936) is kept on the reading's event.
            let offsets = try await client.database.withConnection { c in
                let r = try c.query("SELECT data->>'clockOffset' FROM events WHERE type = 'ReadingRecorded'")
                return r.rows { r.string($0, 0) }
            }
            #expect(offsets.count == 2 && offsets.allSatisfy { $0.flatMap(Double.init) == 1.064 }, "\(offsets)")
            // What the gateway said about the devices is kept with their bindings, once.
            #expect(try await client.ingestEventCount(type: "DeviceDescribed") == 2)
            let device = try await client.request(.get, "/fhir/Device/00-1C-05-04-00-00-78-25", token: world.nurse)
            #expect(device.status == .ok, "\(device.text)")
            #expect(device.object["manufacturer"] as? String == "Nonin Medical, Inc.")
            #expect(device.object["modelNumber"] as? String == "Model 3150")
            #expect(device.object["serialNumber"] as? String == "0400007825")
            #expect(device.object["patient"] as? [String: String] == ["reference": "Patient/\(world.patient.uuidString.lowercased())"])

            // The same Bundle again: the same locations, nothing stored.
            let after = try await client.ingestEventCount()
            #expect(after > events)
            let again = try await client.fhirPost("/fhir", world, bundle)
            let r2 = client.entryResponses(again)
            #expect(r2.map { $0["status"] as? String } == ["200 OK", "200 OK", "200 OK", "200 OK", "200 OK", "200 OK"], "\(again.text)")
            #expect(r2.map { $0["location"] as? String } == r.map { $0["location"] as? String })
            #expect(try await client.ingestEventCount() == after)
            // The identifiers and bindings in the read models are what the log says (a replay agrees).
            let verified = try await client.request(
                .get, "/v1/audit/verify?patient=\(world.patient.uuidString.lowercased())", token: world.auditor)
            #expect(verified.object["passed"] as? Bool == true, "\(verified.text)")
            #expect((verified.object["projectionDifferences"] as? [Any])?.isEmpty == true, "\(verified.text)")
        }
    }

    @Test(
        "the single examples that carry a measurement become the right readings, in a Bundle with the example Patient and Devices",
        arguments: ["compound-numeric-blood-pressure", "numeric-spotnumeric", "temperature-observation"])
    func singleExamples(_ name: String) async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.registerPHDPatient(world.patient, clinician: world.clinician)
            // The example devices, bound as a clinician would: by EUI-64 (the gateway's
            // written in lower case with colons) and, for the cuff, under the logical id
            // the examples refer to it by (`Device/<serial>`: no Device resource of it is among them).
            for (kind, serial, identifiers) in [
                ("pulseOximeter", nil, [(PHDFixture.eui64, "74-E8-FF-FE-FF-05-1C-00"), (PHDFixture.bluetooth, "00-1C-05-FF-E8-74")]),
                ("gateway", nil, [(PHDFixture.eui64, "ec:de:3d:4e:58:53:2d:31")]),
                ("bloodPressureMonitor", "phd-711000FEFF5F49B0.B0495F001071", [(PHDFixture.eui64, "711000FEFF5F49B0")]),
            ] as [(String, String?, [(String, String)])] {
                let bound = try await client.bindPHD(
                    world.patient, clinician: world.clinician, kind: kind, serial: serial, identifiers: identifiers)
                #expect(bound.status == .created, "\(bound.text)")
            }
            let observation = try PHDFixture.load(name)
            let resources = [
                try PHDFixture.load("patientExample-1"), try PHDFixture.load("phd-74E8FFFEFF051C00.001C05FFE874"),
                try PHDFixture.load("phg-example"), observation,
            ]
            let bundle =
                PHDFixture.shifted(
                    PHDFixture.bundle(
                        resources, conditional: ["patientExample-1": "identifier=\(PHDFixture.patientSystem)|\(PHDFixture.patientValue)"]),
                    earliestAt: Date().addingTimeInterval(2)) as! [String: Any]
            let reply = try await client.fhirPost("/fhir", world, bundle)
            #expect(reply.status == .ok, "\(reply.text)")
            let r = client.entryResponses(reply)
            #expect(r.map { $0["status"] as? String } == ["200 OK", "200 OK", "200 OK", "201 Created"], "\(reply.text)")
            #expect(r[1]["location"] as? String == "Device/74-E8-FF-FE-FF-05-1C-00")
            #expect(r[2]["location"] as? String == "Device/EC-DE-3D-4E-58-53-2D-31")
            let stored = try await Self.readings(client, world)
            #expect(stored.count == 1)
            let value = try #require(stored.first?["value"] as? [String: Any])
            switch name {
            case "compound-numeric-blood-pressure":
                #expect(value["kind"] as? String == "bloodPressure")
                #expect(value["systolic"] as? Double == 116 && value["diastolic"] as? Double == 71)
                #expect(stored.first?["deviceSerial"] as? String == "phd-711000FEFF5F49B0.B0495F001071")
            case "numeric-spotnumeric":
                #expect(value["kind"] as? String == "pulse" && value["value"] as? Double == 48)
            default:
                #expect(value["kind"] as? String == "temperature" && value["value"] as? Double == 36.5)
            }
            let again = try await client.fhirPost("/fhir", world, bundle)
            #expect(client.entryResponses(again).map { $0["status"] as? String } == ["200 OK", "200 OK", "200 OK", "200 OK"])
            #expect(try await Self.readings(client, world).count == 1)
        }
    }

    @Test("values the device marks absent or doubtful, and kinds Varde does not monitor, are acknowledged with the reason, never stored")
    func notReadings() async throws {
        try await TestApp.run { client in
            let world = try await Self.registered(client)
            let example = try PHDFixture.load("bundle-example-1")
            var entries = try #require(example["entry"] as? [[String: Any]])
            let spo2 = entries[4]
            func variant(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
                var entry = spo2
                var resource = entry["resource"] as! [String: Any]
                change(&resource)
                entry["resource"] = resource
                entry["fullUrl"] = "urn:uuid:\(UUID().uuidString.lowercased())"
                return entry
            }
            let nan = try PHDFixture.load("numeric-observation-not-a-number")
            entries += [
                // not a number (dataAbsentReason), as the IG's example sends it for a SpO2
                variant {
                    $0.removeValue(forKey: "valueQuantity")
                    $0["dataAbsentReason"] = nan["dataAbsentReason"]
                },
                // the device marks the value questionable
                variant {
                    $0["interpretation"] = [
                        ["coding": [["system": "http://hl7.org/fhir/uv/pocd/CodeSystem/measurement-status", "code": "questionable"]]]
                    ]
                },
                // test data
                variant { $0["meta"] = ["security": [["system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HTEST"]]] },
                // a perfusion index (MDC 150488): not monitored
                variant { $0["code"] = ["coding": [["system": "urn:iso:std:iso:11073:10101", "code": "150488"]]] },
                // the IG's not-a-number example itself (SpO2 signal quality), subject and device as in this Bundle
                [
                    "fullUrl": "urn:uuid:\(UUID().uuidString.lowercased())",
                    "resource": nan.merging(
                        [
                            "subject": (spo2["resource"] as! [String: Any])["subject"]!,
                            "effectiveDateTime": (spo2["resource"] as! [String: Any])["effectiveDateTime"]!,
                        ]
                    ) { $1 },
                    "request": ["method": "POST", "url": "Observation"],
                ],
            ]
            var bundle = example
            bundle["entry"] = entries
            let shifted = PHDFixture.shifted(bundle, earliestAt: Date().addingTimeInterval(2)) as! [String: Any]
            let reply = try await client.fhirPost("/fhir", world, shifted)
            #expect(reply.status == .ok, "\(reply.text)")
            let r = client.entryResponses(reply)
            try #require(r.count == 11)
            let reasons = r[6...].map {
                ((($0["outcome"] as? [String: Any])?["issue"] as? [[String: Any]])?.first?["diagnostics"] as? String) ?? ""
            }
            #expect(r[6...].allSatisfy { $0["status"] as? String == "200 OK" && $0["location"] == nil })
            #expect(reasons[0].contains("no value (not-a-number)"), "\(reasons)")
            #expect(reasons[1].contains("questionable"), "\(reasons)")
            #expect(reasons[2].contains("test data"), "\(reasons)")
            #expect(reasons[3].contains("monitors"), "\(reasons)")
            #expect(reasons[4].contains("no value") || reasons[4].contains("monitors"), "\(reasons)")
            let expressions = r[6...].map {
                (((($0["outcome"] as? [String: Any])?["issue"] as? [[String: Any]])?.first?["expression"] as? [String])?.first) ?? ""
            }
            #expect(expressions[0] == "Bundle.entry[6].resource.dataAbsentReason")
            #expect(expressions[1] == "Bundle.entry[7].resource.interpretation[0]")
            #expect(try await Self.readings(client, world).count == 2, "only the SpO2 and pulse of the example")
        }
    }

    @Test("an unknown patient and one outside the gateway's teams get the same answer; an unbound device fails the transaction")
    func noOracle() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let bundle =
                PHDFixture.shifted(try PHDFixture.load("bundle-example-1"), earliestAt: Date().addingTimeInterval(2))
                as! [String: Any]
            let unknown = try await client.fhirPost("/fhir", world, bundle)
            FHIRIngestTests.expectOutcome(unknown, .notFound, expression: "Bundle.entry[0].resource.identifier")
            // The same identifier registered for a patient of another kommune, whom this gateway does not serve.
            let clinician = try TestApp.token(.clinician, teams: [world.otherKommune])
            let other = try await client.enroll(
                nationalID: World.nationalIDs[1], kommune: world.otherKommune, sykehus: nil, clinician: clinician)
            try await client.registerPHDPatient(other, clinician: clinician)
            let outOfReach = try await client.fhirPost("/fhir", world, bundle)
            #expect(outOfReach.status == unknown.status)
            #expect(outOfReach.text == unknown.text)
            // The attempt on the other kommune's patient is in the access log (Normen), refused.
            let attempts = try await client.accessLog().filter { $0.patient == other && $0.action == "postFHIRBundle" }
            #expect(attempts.map(\.outcome) == ["refused"], "\(attempts)")
            // As a batch: each entry answered, the readings of the unresolved patient 424.
            var batch = bundle
            batch["type"] = "batch"
            let answered = client.entryResponses(try await client.fhirPost("/fhir", world, batch))
            #expect(
                answered.map { $0["status"] as? String } == [
                    "404 Not Found", "404 Not Found", "404 Not Found", "200 OK", "424 Failed Dependency", "424 Failed Dependency",
                ], "\(answered)")
            // Registered here (the other patient discharged: an identifier names one patient
            // under follow-up), but the devices are not bound: the gateway is entry 1.
            let discharged = try await client.request(
                .post, "/v1/patients/\(other)/discharge", token: clinician, json: ["reason": "flyttet"])
            #expect(discharged.status == .ok)
            try await client.registerPHDPatient(world.patient, clinician: world.clinician)
            let unbound = try await client.fhirPost("/fhir", world, bundle)
            FHIRIngestTests.expectOutcome(unbound, .notFound, expression: "Bundle.entry[1].resource.identifier")
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 0)
        }
    }

    @Test("identifiers: one patient each, never the national identifier; devices: one patient each, EUI-64s that read")
    func registration() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.registerPHDPatient(world.patient, clinician: world.clinician)
            let second = try await client.enroll(
                nationalID: World.nationalIDs[1], kommune: world.kommune, sykehus: nil, clinician: world.clinician)
            let taken = try await client.request(
                .put, "/v1/patients/\(second)/identifiers", token: world.clinician,
                json: ["identifiers": [["system": PHDFixture.patientSystem, "value": PHDFixture.patientValue]]])
            #expect(taken.status == .conflict, "\(taken.text)")
            let national = try await client.request(
                .put, "/v1/patients/\(second)/identifiers", token: world.clinician,
                json: ["identifiers": [["system": "urn:oid:2.16.578.1.12.4.1.4.1", "value": World.nationalIDs[1]]]])
            #expect(national.status == .unprocessableContent)
            #expect(!national.text.contains(World.nationalIDs[1]))
            let view = try await client.request(.get, "/v1/patients/\(world.patient)", token: world.nurse)
            #expect(
                view.object["identifiers"] as? [[String: String]] == [
                    ["system": PHDFixture.patientSystem, "value": PHDFixture.patientValue]
                ])

            let first = try await client.bindPHD(
                world.patient, clinician: world.clinician, kind: "pulseOximeter", identifiers: [(PHDFixture.eui64, "001c050400007825")])
            #expect(first.status == .created)
            let devices = first.object["devices"] as? [[String: Any]] ?? []
            #expect(devices.last?["serial"] as? String == "00-1C-05-04-00-00-78-25")
            let elsewhere = try await client.bindPHD(
                second, clinician: world.clinician, kind: "pulseOximeter", serial: "OTHER-SERIAL",
                identifiers: [(PHDFixture.eui64, "00-1C-05-04-00-00-78-25")])
            #expect(elsewhere.status == .conflict, "\(elsewhere.text)")
            let short = try await client.bindPHD(
                second, clinician: world.clinician, kind: "pulseOximeter", identifiers: [(PHDFixture.eui64, "00-1C-05")])
            #expect(short.status == .unprocessableContent)
            #expect(short.text.contains("/identifiers/0/value"))
        }
    }

    @Test("a device clock far off the gateway's is kept and named in a warning beside the reading")
    func largeClockOffset() async throws {
        try await TestApp.run { client in
            let world = try await Self.registered(client)
            var bundle = try PHDFixture.load("bundle-example-1")
            var entries = bundle["entry"] as! [[String: Any]]
            var cts = entries[3]["resource"] as! [String: Any]
            cts["valueDateTime"] = "2019-09-20T13:40:09.000-04:00"  // the device an hour ahead
            entries[3]["resource"] = cts
            bundle["entry"] = entries
            let shifted = PHDFixture.shifted(bundle, earliestAt: Date().addingTimeInterval(2)) as! [String: Any]
            let reply = try await client.fhirPost("/fhir", world, shifted)
            let r = client.entryResponses(reply)
            #expect(r[4]["status"] as? String == "201 Created", "\(reply.text)")
            let issue = ((r[4]["outcome"] as? [String: Any])?["issue"] as? [[String: Any]])?.first
            #expect((issue?["diagnostics"] as? String)?.contains("about 60 min ahead") == true, "\(reply.text)")
            let offsets = try await client.database.withConnection { c in
                let r = try c.query("SELECT DISTINCT data->>'clockOffset' FROM events WHERE type = 'ReadingRecorded'")
                return r.rows { r.string($0, 0) }
            }
            #expect(offsets == ["3601.064"])
        }
    }

    @Test("a reused identifier with other content fails the transaction (409); a urn:uuid naming no entry is a 400")
    func conflictsAndBrokenReferences() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.registerPHDPatient(world.patient, clinician: world.clinician)
            _ = try await client.bindPHD(
                world.patient, clinician: world.clinician, kind: "pulseOximeter",
                identifiers: [(PHDFixture.eui64, "74-E8-FF-FE-FF-05-1C-00")])
            _ = try await client.bindPHD(
                world.patient, clinician: world.clinician, kind: "gateway", identifiers: [(PHDFixture.eui64, "ec-de-3d-4e-58-53-2d-31")])
            var observation = try PHDFixture.load("numeric-spotnumeric")
            let resources = [
                try PHDFixture.load("patientExample-1"), try PHDFixture.load("phd-74E8FFFEFF051C00.001C05FFE874"), observation,
            ]
            let start = Date().addingTimeInterval(2)
            let first = PHDFixture.shifted(PHDFixture.bundle(resources), earliestAt: start) as! [String: Any]
            #expect(try await client.fhirPost("/fhir", world, first).status == .ok)
            observation["valueQuantity"] = ["value": 49.0, "unit": "{beat}/min}", "system": "http://unitsofmeasure.org", "code": "/min"]
            let changed =
                PHDFixture.shifted(PHDFixture.bundle([resources[0], resources[1], observation]), earliestAt: start) as! [String: Any]
            let reply = try await client.fhirPost("/fhir", world, changed)
            FHIRIngestTests.expectOutcome(reply, .conflict)
            #expect(
                ((reply.object["issue"] as? [[String: Any]])?.first?["expression"] as? [String])?.first?.hasPrefix("Bundle.entry[2]")
                    == true,
                "\(reply.text)")

            var broken = first
            var entries = broken["entry"] as! [[String: Any]]
            var resource = entries[2]["resource"] as! [String: Any]
            resource["subject"] = ["reference": "urn:uuid:00000000-0000-4000-8000-000000000000"]
            entries[2]["resource"] = resource
            broken["entry"] = entries
            FHIRIngestTests.expectOutcome(
                try await client.fhirPost("/fhir", world, broken), .badRequest, expression: "Bundle.entry[2].resource.subject.reference")
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 1)
        }
    }

    @Test("a continuous upload (a value a second) goes in one transaction beyond 1,000 entries; more than 10,000 is refused")
    func continuousUpload() async throws {
        // Ten minutes of it, stored as soon as the upload ends: allow readings up to an hour ahead.
        try await TestApp.run(configure: { $0.maxFutureSkew = 3600 }) { client in
            let world = try await Self.registered(client)
            let example = try PHDFixture.load("bundle-example-1")
            let head = Array((example["entry"] as! [[String: Any]]).prefix(4))
            let spo2 = (example["entry"] as! [[String: Any]])[4]
            let pulse = (example["entry"] as! [[String: Any]])[5]
            func at(_ entry: [String: Any], _ second: Int, _ value: Double) -> [String: Any] {
                var e = entry
                var r = e["resource"] as! [String: Any]
                r["effectiveDateTime"] = PHDFixture.format(
                    PHDFixture.parse("2019-09-20T12:40:16-04:00")!.wholeSeconds.addingTimeInterval(TimeInterval(second)), fraction: "",
                    offset: "-04:00")
                var q = r["valueQuantity"] as! [String: Any]
                q["value"] = value
                r["valueQuantity"] = q
                e["resource"] = r
                e["fullUrl"] = "urn:uuid:\(UUID().uuidString.lowercased())"
                return e
            }
            var entries = head
            for second in 0..<600 {
                entries.append(at(spo2, second, Double(94 + second % 5)))
                entries.append(at(pulse, second, Double(60 + second % 7)))
            }
            var bundle = example
            bundle["entry"] = entries
            let shifted = PHDFixture.shifted(bundle, earliestAt: Date().addingTimeInterval(2)) as! [String: Any]
            #expect(entries.count == 1_204)
            let reply = try await client.fhirPost("/fhir", world, shifted)
            #expect(reply.status == .ok, "\(reply.text.prefix(500))")
            #expect(client.entryResponses(reply).filter { $0["status"] as? String == "201 Created" }.count == 1_200)
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 1_200)

            var tooMany = bundle
            tooMany["entry"] = Array(repeating: head[3], count: 10_001)
            let refused = try await client.fhirPost("/fhir", world, tooMany)
            FHIRIngestTests.expectOutcome(refused, .unprocessableContent, expression: "Bundle.entry")
        }
    }

    @Test("Patient and Device reads: staff of the team see the fødselsnummer, the gateway never does, others get 404")
    func reads() async throws {
        try await TestApp.run { client in
            let world = try await Self.registered(client)
            let path = "/fhir/Patient/\(world.patient.uuidString.lowercased())"
            let nurse = try await client.request(.get, path, token: world.nurse)
            #expect(nurse.status == .ok)
            #expect(nurse.headers[.contentType] == "application/fhir+json")
            #expect(nurse.text.contains(World.nationalIDs[0]))
            #expect(nurse.text.contains(PHDFixture.patientValue))
            let gateway = try await client.request(.get, path, token: world.gatewayKey)
            #expect(gateway.status == .ok)
            #expect(!gateway.text.contains(World.nationalIDs[0]))
            #expect(gateway.text.contains(PHDFixture.patientValue))
            let other = try await client.request(.get, path, token: world.otherNurse)
            FHIRIngestTests.expectOutcome(other, .notFound)
            let missing = try await client.request(.get, "/fhir/Patient/\(UUID())", token: world.otherNurse)
            #expect(missing.text == other.text)
            let device = try await client.request(.get, "/fhir/Device/4C-4E-49-12-34-56-FF-FF", token: world.gatewayKey)
            #expect(device.status == .ok)
            #expect(device.object["status"] as? String == "active")
            FHIRIngestTests.expectOutcome(try await client.request(.get, "/fhir/Device/OX-1", token: world.otherNurse), .notFound)
        }
    }

    @Test("GET /fhir/metadata: open, and lists exactly the FHIR interactions the server registers")
    func capabilities() async throws {
        try await TestApp.run { client in
            let reply = try await client.request(.get, "/fhir/metadata")
            #expect(reply.status == .ok)
            #expect(reply.object["resourceType"] as? String == "CapabilityStatement")
            #expect(reply.object["fhirVersion"] as? String == "4.0.1")
            let rest = try #require((reply.object["rest"] as? [[String: Any]])?.first)
            let resources = rest["resource"] as? [[String: Any]] ?? []
            var listed: [String: Set<String>] = [:]
            for r in resources {
                listed[r["type"] as? String ?? ""] = Set((r["interaction"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
            }
            #expect(listed["Observation"] == ["create", "read", "search-type"])
            #expect(listed["Patient"] == ["create", "read"])
            #expect(listed["Device"] == ["create", "read"])
            #expect(Set((rest["interaction"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }) == ["transaction", "batch"])
            let params = (resources.first { $0["type"] as? String == "Observation" }?["searchParam"] as? [[String: Any]] ?? [])
                .compactMap { $0["name"] as? String }
            #expect(Set(params).isSuperset(of: ["patient", "code", "date"]))
            // Every FHIR route is in it, and it lists no type the server does not serve.
            let types = Set(
                registeredRoutes().filter { $0.path.hasPrefix("/fhir/") }.compactMap {
                    $0.path.split(separator: "/").dropFirst().first.map(String.init)
                })
            #expect(Set(listed.keys) == types)
        }
    }
}
