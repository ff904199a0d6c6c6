import Foundation
import Hummingbird
import Testing
import VardeCore

/// Issue 15: the hostile-input table. Every request is answered with a clear
/// error of the right status (problem+json, or an OperationOutcome under
/// /fhir) naming the field where there is one; none is a 5xx, none stores
/// anything, and the server keeps answering.
@Suite("HTTP: hostile input")
struct HostileInputTests {
    enum Who: Sendable { case gateway, nurse, clinician, admin }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var who: Who
        var method: HTTPRequest.Method
        var path: String
        var body: [UInt8]?
        var contentType = "application/json"
        var status: HTTPResponse.Status
        /// The JSON pointer (problem) or FHIRPath (OperationOutcome) named, when one is expected.
        var at: String?
        var testDescription: String { name }

        init(_ name: String, _ who: Who, _ method: HTTPRequest.Method, _ path: String, _ status: HTTPResponse.Status, at: String? = nil) {
            (self.name, self.who, self.method, self.path, self.status, self.at) = (name, who, method, path, status, at)
        }

        init(
            _ name: String, _ who: Who, _ method: HTTPRequest.Method, _ path: String, _ body: String,
            contentType: String = "application/json",
            _ status: HTTPResponse.Status, at: String? = nil
        ) {
            self.init(name, who, method, path, status, at: at)
            (self.body, self.contentType) = (Array(body.utf8), contentType)
        }

        init(
            _ name: String, _ who: Who, _ method: HTTPRequest.Method, _ path: String, bytes: [UInt8], _ status: HTTPResponse.Status,
            at: String? = nil
        ) {
            self.init(name, who, method, path, status, at: at)
            self.body = bytes
        }
    }

    /// A native reading with `field` replaced by the raw JSON `value`.
    static func reading(_ field: String, _ value: String) -> String {
        var fields = [
            "id": #""r-1""#, "deviceSerial": #""OX-1""#, "measuredAt": "\"\(World.time(1))\"", "kind": #""spo2""#, "unit": #""%""#,
            "value": "95",
        ]
        fields[field] = value
        return #"{"readings":[{"# + fields.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}]}"
    }

    static let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
    static let alert = "/v1/alerts/\(UUID())/acknowledge"

    static let cases: [Case] = [
        // Numbers: NaN, infinities, overflow, negatives, fractions where whole numbers are meant.
        .init("wait=nan", .nurse, .get, "/v1/teams/{team}/alerts?wait=nan", .unprocessableContent, at: "/wait"),
        .init("wait=-inf", .nurse, .get, "/v1/teams/{team}/alerts?wait=-inf", .unprocessableContent, at: "/wait"),
        .init("wait=1e400", .nurse, .get, "/v1/teams/{team}/alerts?wait=1e400", .unprocessableContent, at: "/wait"),
        .init("limit=-1", .nurse, .get, "/v1/teams/{team}/alerts?limit=-1", .unprocessableContent, at: "/limit"),
        .init("limit=1.5", .nurse, .get, "/v1/patients/{patient}/readings?limit=1.5", .unprocessableContent, at: "/limit"),
        .init(
            "limit beyond Int64", .nurse, .get, "/v1/patients/{patient}/readings?limit=99999999999999999999", .unprocessableContent,
            at: "/limit"),
        .init("value 1e400", .gateway, .post, "/v1/readings", reading("value", "1e400"), .unprocessableContent, at: "/readings/0/value"),
        .init("value as a string", .gateway, .post, "/v1/readings", reading("value", #""NaN""#), .badRequest, at: "/readings/0/value"),
        // Control characters: NUL and others in identifiers and free text.
        .init(
            "NUL in a reading id", .gateway, .post, "/v1/readings", reading("id", #""r\u0000x""#), .unprocessableContent,
            at: "/readings/0/id"),
        .init(
            "tab in a reading id (JSON carries a tab, so the batch is read and the item refused)", .gateway, .post, "/v1/readings",
            reading("id", #""r\tx""#), .ok, at: "/readings/0/id"),
        .init(
            "BEL in a device serial", .gateway, .post, "/v1/readings", reading("deviceSerial", #""OX\u00071""#), .unprocessableContent,
            at: "/readings/0/deviceSerial"),
        .init("NUL in a note", .nurse, .post, alert, #"{"note":"ringte\u0000"}"#, .unprocessableContent, at: "/note"),
        .init("DEL in a note", .nurse, .post, alert, "{\"note\":\"a\u{7F}b\"}", .unprocessableContent, at: "/note"),
        .init(
            "C1 in a void reason", .nurse, .post, "/v1/readings/\(UUID())/void", #"{"reason":"feil\u0085"}"#, .unprocessableContent,
            at: "/reason"),
        .init(
            "NUL in a team name", .admin, .post, "/v1/teams", #"{"name":"K\u0000","kind":"kommune","kommunenummer":"5001"}"#,
            .unprocessableContent, at: "/name"),
        .init(
            "line break in a team name", .admin, .post, "/v1/teams", #"{"name":"K\nX","kind":"kommune","kommunenummer":"5001"}"#,
            .unprocessableContent, at: "/name"),
        .init(
            "NUL in a serial", .clinician, .post, "/v1/patients/{patient}/devices", #"{"serial":"S\u0000","kind":"scale"}"#,
            .unprocessableContent, at: "/serial"),
        .init("NUL in a gateway name", .admin, .post, "/v1/gateways", #"{"name":"hub\u0000"}"#, .unprocessableContent, at: "/name"),
        .init("NUL in the URL", .nurse, .get, "/v1/teams/{team}/alerts?after=%00", .badRequest),
        .init("a control character in the path", .nurse, .get, "/v1/patients/%07", .badRequest),
        // Encoding and syntax.
        .init(
            "invalid UTF-8", .gateway, .post, "/v1/readings",
            bytes: Array(#"{"readings":[{"id":""#.utf8) + [0xC3, 0x28] + Array(#""}]}"#.utf8), .badRequest),
        .init(
            "an overlong UTF-8 slash", .gateway, .post, "/v1/readings",
            bytes: Array(#"{"readings":[{"id":""#.utf8) + [0xC0, 0xAF] + Array(#""}]}"#.utf8), .badRequest),
        .init("a lone surrogate", .gateway, .post, "/v1/readings", reading("id", #""\ud800""#), .badRequest, at: "/readings/0/id"),
        .init(
            "a key given twice", .gateway, .post, "/v1/readings", #"{"readings":[],"readings":[{"id":"x"}]}"#, .badRequest, at: "/readings"),
        .init(
            "a key given twice, once escaped", .admin, .post, "/v1/teams",
            #"{"name":"A","n\u0061me":"B","kind":"kommune","kommunenummer":"5001"}"#, .badRequest, at: "/name"),
        .init("nesting 40 deep", .gateway, .post, "/v1/readings", #"{"readings":"# + deep + "}", .badRequest),
        .init(
            "a 200 kB string", .gateway, .post, "/v1/readings", reading("id", "\"" + String(repeating: "x", count: 200_000) + "\""),
            .unprocessableContent, at: "/readings/0/id"),
        .init("a truncated body", .gateway, .post, "/v1/readings", #"{"readings":[{"id":"x""#, .badRequest),
        .init("an empty body", .clinician, .post, "/v1/patients", "", .badRequest),
        .init("trailing garbage", .clinician, .post, "/v1/patients", #"{"nationalId":"31129956715"} x"#, .badRequest),
        // Sizes and media types.
        .init("a 5 MiB body", .gateway, .post, "/v1/readings", bytes: Array(repeating: 0x20, count: 5 * 1024 * 1024), .contentTooLarge),
        .init("text/plain", .gateway, .post, "/v1/readings", reading("value", "95"), contentType: "text/plain", .unsupportedMediaType),
        .init("a form", .admin, .post, "/v1/teams", "name=x", contentType: "application/x-www-form-urlencoded", .unsupportedMediaType),
        // FHIR: the same classes as OperationOutcomes with a FHIRPath.
        .init(
            "FHIR: NUL in an identifier", .gateway, .post, "/fhir/Observation",
            #"{"resourceType":"Observation","identifier":[{"value":"a\u0000b"}]}"#, contentType: "application/fhir+json",
            .unprocessableContent, at: "Observation.identifier[0].value"),
        .init(
            "FHIR: a key given twice", .gateway, .post, "/fhir", #"{"resourceType":"Bundle","type":"batch","type":"transaction"}"#,
            contentType: "application/fhir+json", .badRequest, at: "Bundle.type"),
        .init(
            "FHIR: 1e400", .gateway, .post, "/fhir/Observation", #"{"resourceType":"Observation","valueQuantity":{"value":1e400}}"#,
            contentType: "application/fhir+json", .unprocessableContent, at: "Observation.valueQuantity.value"),
    ]

    @Test("each hostile request gets its clear error, stores nothing, and the server keeps answering", arguments: cases)
    func refused(_ c: Case) async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let token =
                switch c.who {
                case .gateway: w.gatewayKey
                case .nurse: w.nurse
                case .clinician: w.clinician
                case .admin: w.admin
                }
            let path = c.path.replacingOccurrences(of: "{team}", with: w.kommune.uuidString)
                .replacingOccurrences(of: "{patient}", with: w.patient.uuidString)
            let events = try await client.count("SELECT count(*) FROM events")
            let reply = try await client.request(c.method, path, token: token, bytes: c.body ?? [], contentType: c.contentType)
            #expect(reply.status == c.status, "\(reply.status.code) \(reply.text.prefix(300))")
            let fhir = path.hasPrefix("/fhir")
            if c.status == .ok {
                let item = (reply.object["results"] as? [[String: Any]])?.first
                let error = item?["error"] as? [String: Any]
                #expect(item?["status"] as? String == "rejected" && error?["status"] as? Int == 422 && error?["pointer"] as? String == c.at)
                #expect(try await client.count("SELECT count(*) FROM events") == events, "nothing is stored")
                return
            }
            #expect(reply.headers[.contentType] == (fhir ? "application/fhir+json" : "application/problem+json"))
            if let at = c.at {
                if fhir {
                    let issues = reply.object["issue"] as? [[String: Any]] ?? []
                    let expressions = issues.flatMap { $0["expression"] as? [String] ?? [] }
                    #expect(expressions.contains(at), "\(reply.text.prefix(300))")
                } else {
                    #expect(IngestErrorTests.pointers(reply.object).contains(at), "\(reply.text.prefix(300))")
                }
            }
            #expect(try await client.count("SELECT count(*) FROM events") == events, "nothing is stored")
            #expect(try await client.request(.get, "/healthz").status == .ok)
        }
    }
}
