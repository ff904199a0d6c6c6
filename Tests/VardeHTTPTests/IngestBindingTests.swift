import Foundation
import Testing

@Suite("HTTP: readings by device binding, units and time")
struct IngestBindingTests {
    @Test("a device serial resolves through the binding in force at the measured time")
    func bindingAtMeasuredTime() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let b = try await client.enroll(
                nationalID: World.nationalIDs[1], kommune: world.kommune, sykehus: nil, clinician: world.clinician)
            let beforeAny = World.time(-120)
            try await Task.sleep(for: .milliseconds(1100))
            try await client.bind("OX-2", to: world.patient, clinician: world.clinician)
            try await Task.sleep(for: .milliseconds(1100))
            let inA = World.time()
            try await Task.sleep(for: .milliseconds(1100))
            let unbind = try await client.request(.delete, "/v1/patients/\(world.patient)/devices/OX-2", token: world.clinician)
            #expect(unbind.status == .noContent)
            try await Task.sleep(for: .milliseconds(1100))
            let between = World.time()
            try await Task.sleep(for: .milliseconds(1100))
            try await client.bind("OX-2", to: b, clinician: world.clinician)
            try await Task.sleep(for: .milliseconds(1100))
            let inB = World.time()
            func item(_ id: String, _ at: String) -> [String: Any] {
                ["id": id, "deviceSerial": "OX-2", "measuredAt": at, "kind": "spo2", "unit": "%", "value": 95]
            }
            let (_, results) = try await client.ingestPost(
                world,
                [
                    item("in-b", inB), item("in-a", inA), item("before", beforeAny), item("between", between),
                ])
            #expect(results.map { $0["status"] as? String } == ["created", "created", "rejected", "rejected"])
            #expect((results[2]["error"] as? [String: Any])?["status"] as? Int == 404)
            #expect((results[2]["error"] as? [String: Any])?["pointer"] as? String == "/readings/2/deviceSerial")
            let a = try await client.ingestReadings(world.patient, token: world.nurse)
            let bReadings = try await client.ingestReadings(b, token: world.nurse)
            #expect(a.map { $0["eventId"] as? String } == [results[1]["eventId"] as? String])
            #expect(bReadings.map { $0["eventId"] as? String } == [results[0]["eventId"] as? String])
            #expect(a.first?["deviceSerial"] as? String == "OX-2")
        }
    }

    @Test(
        "units are converted to canonical ones",
        arguments: [
            ("weight", "[lb_av]", 185.0, 83.915),
            ("weight", "g", 81_450.0, 81.45),
            ("temperature", "[degF]", 98.6, 37.0),
            ("spo2", "%", 95.0, 95.0),
        ])
    func conversion(kind: String, unit: String, value: Double, stored: Double) async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let (_, results) = try await client.ingestPost(
                world,
                [
                    [
                        "id": "u", "patientId": world.patient.uuidString, "measuredAt": World.time(1), "kind": kind, "unit": unit,
                        "value": value,
                    ]
                ])
            #expect(results.first?["status"] as? String == "created")
            let readings = try await client.ingestReadings(world.patient, token: world.nurse)
            let v = try #require(readings.first?["value"] as? [String: Any])
            #expect(abs((v["value"] as? Double ?? 0) - stored) < 0.0005)
        }
    }

    @Test("blood pressure in kPa is stored in mm[Hg]; an unknown unit is rejected")
    func kPaAndUnknownUnit() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let p = world.patient.uuidString
            let (_, results) = try await client.ingestPost(
                world,
                [
                    [
                        "id": "k", "patientId": p, "measuredAt": World.time(1), "kind": "bloodPressure", "unit": "kPa", "systolic": 16,
                        "diastolic": 10.5,
                    ],
                    ["id": "x", "patientId": p, "measuredAt": World.time(2), "kind": "weight", "unit": "stone", "value": 12],
                    ["id": "y", "patientId": p, "measuredAt": World.time(3), "kind": "spo2", "unit": "kg", "value": 95],
                ])
            #expect(results.map { $0["status"] as? String } == ["created", "rejected", "rejected"])
            #expect((results[1]["error"] as? [String: Any])?["pointer"] as? String == "/readings/1/unit")
            #expect((results[1]["error"] as? [String: Any])?["status"] as? Int == 422)
            #expect((results[2]["error"] as? [String: Any])?["pointer"] as? String == "/readings/2/unit")
            let bp = try #require(try await client.ingestReadings(world.patient, token: world.nurse).first?["value"] as? [String: Any])
            #expect(bp["systolic"] as? Double == 120.0)  // 16 × 7.50062 = 120.01 → 120.0
            #expect(bp["diastolic"] as? Double == 78.8)  // 10.5 × 7.50062 = 78.757
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 1)
        }
    }

    @Test("measured times beyond the future skew are rejected; late readings after the binding are accepted")
    func futureAndLate() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await Task.sleep(for: .milliseconds(2200))
            let (_, results) = try await client.ingestPost(
                world,
                [
                    ingestSpO2("future", 95, at: 3600),
                    ingestSpO2("slightly-ahead", 95, at: 120),
                    ingestSpO2("late", 95, at: -1),
                ])
            #expect(results.map { $0["status"] as? String } == ["rejected", "created", "created"])
            #expect((results[0]["error"] as? [String: Any])?["pointer"] as? String == "/readings/0/measuredAt")
            // out of order: an older reading after a newer one is stored and sorted by measured time
            let readings = try await client.ingestReadings(world.patient, token: world.nurse)
            #expect(readings.map { $0["eventId"] as? String } == [results[2]["eventId"] as? String, results[1]["eventId"] as? String])
        }
    }
}
