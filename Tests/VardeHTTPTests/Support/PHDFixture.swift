import Foundation
import Testing

/// The HL7 PHD IG's own examples (Tests/Fixtures/phd, CC0; see SOURCE.md),
/// loaded unchanged but for their dates, which `shifted` moves into the
/// binding's time window: readings measured before a device was bound are
/// (rightly) refused.
enum PHDFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures/phd").standardizedFileURL.path

    static let eui64 = "urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680"
    static let bluetooth = "http://hl7.org/fhir/sid/eui-48/bluetooth"
    /// The patient identifier the examples use (PhdPatient, medical record number).
    static let patientSystem = "urn:oid:2.999.1.2.3.4.5.6.7.8.10"
    static let patientValue = "sisansarahId"

    static func load(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name).json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name) is not a JSON object")
    }

    /// Every dateTime with a time of day, anywhere in `json`.
    static func dateTimes(in json: Any) -> [String] {
        switch json {
        case let object as [String: Any]: object.values.flatMap(dateTimes)
        case let array as [Any]: array.flatMap(dateTimes)
        case let text as String where parse(text) != nil: [text]
        default: []
        }
    }

    /// `json` with every dateTime moved by the same whole number of seconds, so
    /// that the earliest falls at `start`; each keeps its zone offset and its
    /// fraction of a second, as written.
    static func shifted(_ json: Any, earliestAt start: Date) -> Any {
        let instants = dateTimes(in: json).compactMap { parse($0)?.instant }
        guard let earliest = instants.min() else { return json }
        return shifted(json, by: start.timeIntervalSince(earliest).rounded(.up))
    }

    static func shifted(_ json: Any, by delta: TimeInterval) -> Any {
        switch json {
        case let object as [String: Any]: return object.mapValues { shifted($0, by: delta) }
        case let array as [Any]: return array.map { shifted($0, by: delta) }
        case let text as String:
            guard let parts = parse(text) else { return text }
            return format(parts.wholeSeconds.addingTimeInterval(delta), fraction: parts.fraction, offset: parts.offset)
        default: return json
        }
    }

    /// The instant a dateTime names, its whole seconds, its fraction as written (`.936`) and its offset (`-04:00`, `Z`).
    static func parse(_ text: String) -> (instant: Date, wholeSeconds: Date, fraction: String, offset: String)? {
        let pattern = #/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/#
        guard let m = text.wholeMatch(of: pattern) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(
            year: Int(m.1), month: Int(m.2), day: Int(m.3), hour: Int(m.4), minute: Int(m.5), second: Int(m.6))
        guard let local = calendar.date(from: components) else { return nil }
        let offset = String(m.8)
        var offsetSeconds = 0
        if offset != "Z" {
            let sign = offset.hasPrefix("-") ? -1 : 1
            offsetSeconds = sign * (Int(offset.dropFirst().prefix(2))! * 3600 + Int(offset.suffix(2))! * 60)
        }
        let whole = local.addingTimeInterval(TimeInterval(-offsetSeconds))
        let fraction = m.7.map(String.init) ?? ""
        return (whole.addingTimeInterval(Double("0" + fraction) ?? 0), whole, fraction, offset)
    }

    static func format(_ whole: Date, fraction: String, offset: String) -> String {
        var offsetSeconds = 0
        if offset != "Z" {
            let sign = offset.hasPrefix("-") ? -1 : 1
            offsetSeconds = sign * (Int(offset.dropFirst().prefix(2))! * 3600 + Int(offset.suffix(2))! * 60)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: whole.addingTimeInterval(TimeInterval(offsetSeconds)))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!) + fraction + offset
    }

    /// A transaction Bundle of `resources` as a gateway that already knows the
    /// resources' ids sends them: each entry's `fullUrl` is the resource's
    /// absolute URL, so the examples' relative references (`Patient/patientExample-1`)
    /// resolve to entries of the Bundle, as FHIR resolves references in Bundles.
    static func bundle(_ resources: [[String: Any]], conditional: [String: String] = [:]) -> [String: Any] {
        [
            "resourceType": "Bundle", "type": "transaction",
            "entry": resources.map { r -> [String: Any] in
                let type = r["resourceType"] as? String ?? "Observation"
                var request: [String: Any] = ["method": "POST", "url": type]
                if let id = r["id"] as? String, let query = conditional[id] { request["ifNoneExist"] = query }
                return [
                    "fullUrl": "https://phg.example/fhir/\(type)/\(r["id"] as? String ?? UUID().uuidString)", "resource": r,
                    "request": request,
                ]
            },
        ]
    }
}

extension Client {
    /// Registers the examples' patient identifier for `patient`.
    func registerPHDPatient(_ patient: UUID, clinician: String) async throws {
        let reply = try await request(
            .put, "/v1/patients/\(patient)/identifiers", token: clinician,
            json: ["identifiers": [["system": PHDFixture.patientSystem, "value": PHDFixture.patientValue]]])
        guard reply.status == .ok else { throw SeedError("identifiers: \(reply.status) \(reply.text)") }
    }

    /// Binds a device by identifiers (and a serial, when given).
    @discardableResult
    func bindPHD(
        _ patient: UUID, clinician: String, kind: String, serial: String? = nil, identifiers: [(String, String)]
    ) async throws -> Reply {
        var body: [String: Any] = ["kind": kind, "identifiers": identifiers.map { ["system": $0.0, "value": $0.1] }]
        if let serial { body["serial"] = serial }
        return try await request(.post, "/v1/patients/\(patient)/devices", token: clinician, json: body)
    }

    /// The responses of a Bundle reply, in order.
    func entryResponses(_ reply: Reply) -> [[String: Any]] {
        (reply.object["entry"] as? [[String: Any]] ?? []).map { $0["response"] as? [String: Any] ?? [:] }
    }
}
