import Foundation
import Testing

@testable import VardeCore
@testable import VardeStore

// Holds each hand-written row writer (`ProjectionRows+JSON.swift`: JSON for
// `jsonb_to_recordset`) to the row's `Encodable` form as the projector used
// to send it: `EventJSON.encoder` output with UUIDs lower-cased. No database
// needed. (The binary COPY of readings and feed entries: ProjectionCopyTests.)

/// Order-free text of a `JSONSerialization` result: keys sorted, numbers compared as Doubles.
private func canonical(_ x: Any) -> String {
    switch x {
    case let d as [String: Any]:
        return "{" + d.keys.sorted().map { "\($0.debugDescription):\(canonical(d[$0]!))" }.joined(separator: ",") + "}"
    case let a as [Any]:
        return "[" + a.map(canonical).joined(separator: ",") + "]"
    case let s as String:
        return s.debugDescription
    case is NSNull:
        return "null"
    case let n as NSNumber:
        if String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
        return n.doubleValue == 0 ? "0.0" : "\(n.doubleValue)"
    default:
        return "?\(type(of: x))"
    }
}

private func parse(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

/// The writer's array and the encoder's, both as JSON text.
private func both<Row: Encodable & JSONRow>(_ rows: [Row]) throws -> (fast: String, codable: String) {
    (ProjectionRows.json(rows), LowercaseUUIDText.apply(String(decoding: try EventJSON.encoder.encode(rows), as: UTF8.self)))
}

private func expectSame<Row: Encodable & JSONRow>(_ rows: [Row], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let (fast, codable) = try both(rows)
    let a = try parse(fast), b = try parse(codable)
    #expect(canonical(a) == canonical(b), "writer: \(fast)\nencoder: \(codable)", sourceLocation: sourceLocation)
}

/// The first row of the writer's output as a dictionary.
private func fastObject<Row: JSONRow>(_ row: Row) throws -> [String: Any] {
    try #require((try parse(ProjectionRows.json([row])) as? [[String: Any]])?.first)
}

private enum Sample {
    static let t = Date(timeIntervalSince1970: 1_740_000_000.1236)
    static let stamp = "2025-02-19T21:20:00.124Z"
    static let nurse = ActorRef(subject: "nurse-1", role: "nurse")

    static func feedItem(stamped: Bool) -> ProjectionRows.FeedItem {
        ProjectionRows.FeedItem(
            id: UUID(), patientId: UUID(), severity: "red", rule: "spo2.low", measurement: "spo2", state: stamped ? "resolved" : "open",
            change: stamped ? "resolved" : nil, worstValue: 84.5, limit: 85, breachCount: 3, readings: [UUID(), UUID()],
            thresholdVersion: 2, raisedAt: stamp, teams: [UUID()],
            acknowledged: stamped ? AlertStamp(by: nurse, at: t, note: "ringt \"pasient\" – æøå") : nil,
            escalated: stamped ? AlertStamp(by: ActorRef(subject: "clin-1", role: "clinician"), at: t.addingTimeInterval(60.0005)) : nil,
            resolved: stamped ? AlertStamp(by: .system, at: Date(timeIntervalSince1970: -1.5), note: "line\nbreak") : nil,
            resolution: stamped ? "withdrawn" : nil, overdueSince: stamped ? stamp : nil)
    }

    static func patient(discharged: Bool) -> ProjectionRows.Patient {
        ProjectionRows.Patient(
            id: UUID(), national_id: "31129956715", kommunenummer: "0301", program: "hjertesvikt",
            kommune_team: UUID(), sykehus_team: discharged ? nil : UUID(), routing: "yellowAlsoToSykehus",
            status: discharged ? "discharged" : "active", enrolled_at: stamp, discharged_at: discharged ? stamp : nil,
            threshold_version: 3, thresholds: ProjectionRows.Thresholds(.defaults(for: .hjertesvikt)),
            latest: [
                "bloodPressure": ProjectionRows.Latest(
                    readingId: UUID(), value: .bloodPressure(systolic: 141.5, diastolic: 90, pulse: 77), measuredAt: stamp),
                "weight": ProjectionRows.Latest(readingId: UUID(), value: .weight(kg: 82.35), measuredAt: stamp),
            ],
            devices: [
                ProjectionRows.Device(serial: "BP-1", kind: "bloodPressureMonitor", from: stamp, to: nil),
                ProjectionRows.Device(serial: "Vekt Ø/2", kind: "scale", from: stamp, to: stamp),
            ],
            version: 17, position: 123_456,
            identifiers: discharged ? [] : [RegisteredIdentifier(system: "urn:oid:2.999.1", value: "pas \"1\"/Ø")])
    }
}

@Suite struct ProjectionRowJSONTests {
    @Test func patients() throws {
        try expectSame([Sample.patient(discharged: false), Sample.patient(discharged: true)])
        for program in Program.allCases {
            var p = Sample.patient(discharged: false)
            p.thresholds = ProjectionRows.Thresholds(.defaults(for: program))
            p.latest = [:]
            p.devices = []
            try expectSame([p])
        }
    }

    @Test func thresholdsAreTheSetsJSON() throws {
        let set = ThresholdSet.defaults(for: .kols)
        let thresholds = try #require(try fastObject(Sample.patient(discharged: false))["thresholds"])
        let fromSet = try JSONSerialization.jsonObject(with: try EventJSON.encoder.encode(ThresholdSet.defaults(for: .hjertesvikt)))
        #expect(canonical(thresholds) == canonical(fromSet))
        #expect(ProjectionRows.Thresholds(set).json == String(decoding: try EventJSON.encoder.encode(set), as: UTF8.self))
    }

    @Test func bindings() throws {
        try expectSame([
            ProjectionRows.Binding(
                serial: "BP-1", bound_at: Sample.stamp, patient_id: UUID(), kind: "bloodPressureMonitor", unbound_at: nil, position: 1,
                identifiers: [RegisteredIdentifier(system: DeviceIdentity.eui64System, value: "00-1C-05-04-00-00-78-25")]),
            ProjectionRows.Binding(
                serial: "Måler \"2\"", bound_at: Sample.stamp, patient_id: UUID(), kind: "scale", unbound_at: Sample.stamp, position: 2,
                identifiers: []),
        ])
    }

    @Test func alerts() throws {
        try expectSame([
            ProjectionRows.AlertRow(
                id: UUID(), patient_id: UUID(), rule: "spo2.low", severity: "red", state: "resolved", teams: [UUID(), UUID()],
                alert: Sample.feedItem(stamped: true), position: 5),
            ProjectionRows.AlertRow(
                id: UUID(), patient_id: UUID(), rule: "overdue.weight", severity: "yellow", state: "open", teams: [],
                alert: Sample.feedItem(stamped: false), position: 6),
        ])
    }

    @Test func teams() throws {
        try expectSame([
            ProjectionRows.Team(
                id: UUID(), name: "Hjemmesykepleien Grünerløkka", kind: "kommune", kommunenummer: "0301", health_trust: nil, position: 1),
            ProjectionRows.Team(
                id: UUID(), name: "OUS \"hjerte\"", kind: "sykehus", kommunenummer: nil, health_trust: "Helse Sør-Øst", position: 2),
        ])
    }

    @Test func gateways() throws {
        try expectSame([
            ProjectionRows.Gateway(id: UUID(), name: "Gateway 1", teams: [], position: 1),
            ProjectionRows.Gateway(id: UUID(), name: "Bjørn's\nhub", teams: [UUID(), UUID()], position: Int64.max),
        ])
    }

    @Test func gatewayKeys() throws {
        try expectSame([
            ProjectionRows.GatewayKey(
                key_id: "k-1", gateway_id: UUID(), hash: "sha256:abcdef0123", created_at: Sample.stamp, revoked_at: nil, position: 1),
            ProjectionRows.GatewayKey(
                key_id: "k-2", gateway_id: UUID(), hash: "sha256:ff", created_at: Sample.stamp, revoked_at: Sample.stamp, position: 2),
        ])
    }

    @Test func emptyArray() throws {
        let rows: [ProjectionRows.Gateway] = []
        #expect(ProjectionRows.json(rows) == "[]")
        try expectSame(rows)
    }

    @Test func nilOptionalsAreLeftOut() throws {
        let team = try fastObject(
            ProjectionRows.Team(id: UUID(), name: "T", kind: "kommune", kommunenummer: nil, health_trust: nil, position: 1))
        #expect(Set(team.keys) == ["id", "name", "kind", "position"])

        let patient = try fastObject(Sample.patient(discharged: true))
        #expect(patient["sykehus_team"] == nil && patient["discharged_at"] != nil)
        let devices = try #require(patient["devices"] as? [[String: Any]])
        #expect(devices.map { $0["to"] == nil } == [true, false])

        let item = try #require(
            try fastObject(
                ProjectionRows.AlertRow(
                    id: UUID(), patient_id: UUID(), rule: "r", severity: "red", state: "open",
                    teams: [], alert: Sample.feedItem(stamped: false), position: 1))["alert"] as? [String: Any])
        for key in ["change", "acknowledged", "escalated", "resolved", "resolution", "overdueSince"] { #expect(item[key] == nil, "\(key)") }
        let stamped = try #require(
            try fastObject(
                ProjectionRows.AlertRow(
                    id: UUID(), patient_id: UUID(), rule: "r", severity: "red", state: "open",
                    teams: [], alert: Sample.feedItem(stamped: true), position: 1))["alert"] as? [String: Any])
        #expect((stamped["escalated"] as? [String: Any])?["note"] == nil)
        #expect((stamped["acknowledged"] as? [String: Any])?["note"] as? String == "ringt \"pasient\" – æøå")

        let key = try fastObject(
            ProjectionRows.GatewayKey(key_id: "k", gateway_id: UUID(), hash: "h", created_at: Sample.stamp, revoked_at: nil, position: 1))
        #expect(key["revoked_at"] == nil)
        let binding = try fastObject(
            ProjectionRows.Binding(
                serial: "s", bound_at: Sample.stamp, patient_id: UUID(), kind: "k", unbound_at: nil, position: 1, identifiers: []))
        #expect(binding["unbound_at"] == nil)
    }

    @Test func uuidsAreLowerCase() throws {
        let id = try #require(UUID(uuidString: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8"))
        let text = ProjectionRows.json([ProjectionRows.Gateway(id: id, name: "g", teams: [id], position: 1)])
        #expect(
            text
                == #"[{"id":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","name":"g","teams":["6ba7b810-9dad-11d1-80b4-00c04fd430c8"],"position":1}]"#
        )
    }

    /// The one place the writer and the old path part: `LowercaseUUIDText` also
    /// lower-cased free text that happens to look like a UUID; the writer
    /// keeps text as it is.
    @Test func freeTextThatLooksLikeAUUID() throws {
        let serial = "6BA7B810-9DAD-11D1-80B4-00C04FD430C8"
        let binding = ProjectionRows.Binding(
            serial: serial, bound_at: Sample.stamp, patient_id: UUID(), kind: "k", unbound_at: nil, position: 1, identifiers: [])
        #expect(try fastObject(binding)["serial"] as? String == serial)
        let (_, codable) = try both([binding])
        #expect(codable.contains(serial.lowercased()))
    }
}
