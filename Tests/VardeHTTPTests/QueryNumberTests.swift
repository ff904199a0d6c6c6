import Foundation
import Testing

/// Issue 15, defect 1: `?wait=nan` made `Int(NaN)` trap and killed the
/// process. Every numeric query parameter is read strictly.
@Suite("HTTP: numeric query parameters")
struct QueryNumberTests {
    @Test("non-numbers, NaN, infinities, huge and out-of-range values are 422 naming the parameter, and the server stays up")
    func hostileNumbers() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let feed = "/v1/teams/\(world.kommune)/alerts"
            let cases: [(String, String)] = [
                ("wait", "nan"), ("wait", "NaN"), ("wait", "inf"), ("wait", "-inf"), ("wait", "1e400"), ("wait", "-1"), ("wait", "61"),
                ("wait", "abc"), ("limit", "0"), ("limit", "501"), ("limit", "1.5"), ("limit", "nan"), ("limit", "99999999999999999999"),
            ]
            for (name, value) in cases {
                let reply = try await client.request(.get, "\(feed)?\(name)=\(value)", token: world.nurse)
                #expect(reply.status == .unprocessableContent, "\(name)=\(value): \(reply.status)")
                let pointers = (reply.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
                #expect(pointers == ["/\(name)"], "\(name)=\(value)")
            }
            let audit = "/v1/audit/patients/\(world.patient)"
            for query in [
                "events?fromVersion=nan", "events?toVersion=0", "events?fromVersion=1e3", "view?position=-1", "view?position=inf",
            ] {
                let reply = try await client.request(.get, "\(audit)/\(query)", token: world.auditor)
                #expect(reply.status == .unprocessableContent, "\(query): \(reply.status)")
            }
            // Still serving: a fractional wait is fine.
            #expect(try await client.request(.get, "\(feed)?wait=0.05&limit=1", token: world.nurse).status == .ok)
        }
    }
}
