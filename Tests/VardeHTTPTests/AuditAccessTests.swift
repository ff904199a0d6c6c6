import Foundation
import Testing
import VardeStore

/// Only auditors read the audit routes, and every such read is itself logged.
@Suite("HTTP: audit access")
struct AuditAccessTests {
    static func routes(_ s: AccessScenario) -> [(action: String, path: String)] {
        let p = s.world.patient.lower
        return [
            ("auditEvents", "/v1/audit/patients/\(p)/events"),
            ("auditEvents", "/v1/audit/patients/\(p)/events?fromVersion=2&toVersion=3"),
            ("auditView", "/v1/audit/patients/\(p)/view?position=1"),
            ("auditView", "/v1/audit/patients/\(p)/view?at=\(World.time())"),
            ("auditAlertExplanation", "/v1/audit/alerts/\(s.alertID.uuidString.lowercased())/explanation"),
            ("auditVerify", "/v1/audit/verify?patient=\(p)"),
        ]
    }

    @Test("nurse, clinician, gateway and admin get 403 on every audit route, each attempt logged as forbidden; no token is 401")
    func othersAreRefused() async throws {
        try await TestApp.run { client in
            let s = try await AccessScenario.make(client)
            let w = s.world
            let before = try await client.accessLog()
            let others = [
                ("nurse", w.nurse), ("sykehus nurse", w.sykehusNurse), ("clinician", w.clinician), ("gateway", w.gatewayKey),
                ("admin", w.admin),
            ]
            for (_, path) in Self.routes(s) + [("", "/v1/audit/verify")] {
                for (role, token) in others {
                    let reply = try await client.request(.get, path, token: token)
                    #expect(reply.status == .forbidden, "\(role) \(path): \(reply.status)")
                    #expect(!reply.text.contains(w.patient.lower), "\(role) \(path) leaks the patient")
                }
                #expect(try await client.request(.get, path).status == .unauthorized, "\(path)")
            }
            let attempts = Array(try await client.accessLog().dropFirst(before.count))
            #expect(attempts.count == (Self.routes(s).count + 1) * others.count)
            #expect(attempts.allSatisfy { $0.outcome == "forbidden" && $0.action.hasPrefix("audit") })
            #expect(attempts.contains { $0.patient == w.patient }, "a route naming the patient logs the attempt with the patient")
        }
    }

    @Test("an auditor reads every audit route, and each read is in the access log with the patient")
    func auditorsAreLogged() async throws {
        try await TestApp.run { client in
            let s = try await AccessScenario.make(client)
            let w = s.world
            let before = try await client.accessLog().count
            for (_, path) in Self.routes(s) {
                let reply = try await client.request(.get, path, token: w.auditor)
                #expect(reply.status == .ok, "\(path): \(reply.status) \(reply.text)")
            }
            let rows = try await client.accessLog().dropFirst(before)
            #expect(rows.map(\.action) == Self.routes(s).map(\.action))
            #expect(
                rows.allSatisfy {
                    $0.subject == "auditor-1" && $0.role == "auditor" && $0.patient == w.patient && $0.route.hasPrefix("GET /v1/audit/")
                },
                "\(rows)")
            #expect(Set(rows.map(\.requestID)).count == rows.count)

            // A failed read writes no entry.
            let count = try await client.accessLog().count
            #expect(try await client.request(.get, "/v1/audit/patients/\(UUID())/events", token: w.auditor).status == .notFound)
            #expect(try await client.request(.get, "/v1/audit/alerts/\(UUID())/explanation", token: w.auditor).status == .notFound)
            #expect(
                try await client.request(.get, "/v1/audit/patients/\(w.patient)/view", token: w.auditor).status == .unprocessableContent)
            #expect(try await client.accessLog().count == count)
        }
    }
}
