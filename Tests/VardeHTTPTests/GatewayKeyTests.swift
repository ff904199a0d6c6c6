import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VardeAuth
import VardeHTTP
import VardeTestSupport

@Suite("Authentication: gateway API keys")
struct GatewayKeyTests {
    static func reading(_ id: String) -> [String: Any] {
        ["readings": [["id": id, "deviceSerial": "OX-1", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 97]]]
    }

    @Test("unknown and malformed keys are 401 with a challenge; a gateway on a staff route is 403")
    func unknownKeys() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let unknown = GatewayAPIKey.generate().token
            // Same key id as a real key, wrong secret.
            let realID = String(w.gatewayKey.dropFirst(4).prefix(16))
            let forged = "vgk_" + realID + "_" + String(repeating: "A", count: 43)
            for token in [unknown, forged, "vgk_" + realID, w.gatewayKey + "x"] {
                let reply = try await client.request(.post, "/v1/readings", token: token, json: Self.reading("u-1"))
                #expect(reply.status == .unauthorized, "\(token.prefix(24))…: \(reply.status.code)")
                #expect(reply.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true)
            }
            for path in [
                "/v1/patients/\(w.patient)", "/v1/teams/\(w.kommune)/alerts", "/fhir/Observation?patient=Patient/\(w.patient)",
                "/v1/patients/\(w.patient)/readings", "/v1/audit/access",
            ] {
                #expect(try await client.request(.get, path, token: w.gatewayKey).status == .forbidden, "\(path)")
            }
            #expect(try await client.request(.post, "/v1/gateways", token: w.gatewayKey, json: ["name": "x"]).status == .forbidden)
            #expect(try await client.request(.post, "/v1/readings", token: w.gatewayKey, json: Self.reading("ok-1")).status == .ok)
        }
    }

    @Test("a revoked key fails on the very next request; a second key of the same gateway keeps working")
    func revocation() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let second = try await client.request(.post, "/v1/gateways/\(w.gateway)/keys", token: w.admin)
            #expect(second.status == .created)
            let secondKey = try #require(second.object["apiKey"] as? String)
            #expect(secondKey != w.gatewayKey)
            #expect(try await client.request(.post, "/v1/readings", token: secondKey, json: Self.reading("k2-1")).status == .ok)
            #expect(try await client.request(.post, "/v1/readings", token: w.gatewayKey, json: Self.reading("k1-1")).status == .ok)

            let firstKeyID = String(w.gatewayKey.dropFirst(4).prefix(16))
            // Only an admin may revoke.
            for token in [w.gatewayKey, w.nurse, w.clinician, w.auditor] {
                let reply = try await client.request(.delete, "/v1/gateways/\(w.gateway)/keys/\(firstKeyID)", token: token)
                #expect(reply.status == .forbidden)
            }
            let revoke = try await client.request(.delete, "/v1/gateways/\(w.gateway)/keys/\(firstKeyID)", token: w.admin)
            #expect(revoke.status == .noContent, "\(revoke.text)")
            let after = try await client.request(.post, "/v1/readings", token: w.gatewayKey, json: Self.reading("k1-2"))
            #expect(after.status == .unauthorized)
            #expect(after.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(try await client.request(.post, "/v1/readings", token: secondKey, json: Self.reading("k2-2")).status == .ok)
            #expect(try await client.request(.delete, "/v1/gateways/\(w.gateway)/keys/\(firstKeyID)", token: w.admin).status == .conflict)
            #expect(
                try await client.request(.delete, "/v1/gateways/\(w.gateway)/keys/00000000000000aa", token: w.admin).status == .notFound)
            #expect(
                try await client.count(
                    "SELECT count(*) FROM gateway_keys WHERE gateway_id = $1::uuid AND revoked_at IS NULL",
                    [w.gateway.uuidString]) == 1)
        }
    }

    @Test("a checked key is served from the cache; a key revoked through another instance is refused here within moments")
    func revocationAcrossInstances() async throws {
        try await TestDatabase.with(maxConnections: 8) { database, _ in
            let one = try await buildApplication(TestApp.configuration, logger: TestDatabase.logger, database: database)
            let other = try await buildApplication(TestApp.configuration, logger: TestDatabase.logger, database: database)
            try await one.test(.router) { first in
                let here = Client(client: first, database: database, runtime: database)
                let w = try await World.make(here)
                #expect(try await here.request(.post, "/v1/readings", token: w.gatewayKey, json: Self.reading("x-1")).status == .ok)
                // Changed behind Varde's back, the table no longer decides: the checked key is cached.
                _ = try await here.count("WITH u AS (UPDATE gateway_keys SET revoked_at = now() RETURNING 1) SELECT count(*) FROM u", [])
                #expect(try await here.request(.post, "/v1/readings", token: w.gatewayKey, json: Self.reading("x-2")).status == .ok)
                _ = try await here.count("WITH u AS (UPDATE gateway_keys SET revoked_at = NULL RETURNING 1) SELECT count(*) FROM u", [])
                // A wrong secret under a cached key id is still refused.
                let forged = String(w.gatewayKey.dropLast(4)) + "AAAA"
                #expect(try await here.request(.post, "/v1/readings", token: forged, json: Self.reading("x-3")).status == .unauthorized)

                try await other.test(.router) { (second) async throws -> Void in
                    let there = Client(client: second, database: database, runtime: database)
                    let keyID = String(w.gatewayKey.dropFirst(4).prefix(16))
                    #expect(
                        try await there.request(.delete, "/v1/gateways/\(w.gateway)/keys/\(keyID)", token: w.admin).status == .noContent)
                    #expect(
                        try await there.request(.post, "/v1/readings", token: w.gatewayKey, json: Self.reading("x-4")).status
                            == .unauthorized)
                }
                var refused = false
                for attempt in 0..<40 where !refused {
                    refused =
                        try await here.request(.post, "/v1/readings", token: w.gatewayKey, json: Self.reading("x-5-\(attempt)")).status
                        == .unauthorized
                    if !refused { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(refused, "the first instance still accepts the key 2 s after its revocation")
            }
        }
    }

    @Test("keys are stored only as their SHA-256: neither gateway_keys nor the event log holds the key")
    func storedHashed() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let second = try await client.request(.post, "/v1/gateways/\(w.gateway)/keys", token: w.admin)
            let keys = [w.gatewayKey, try #require(second.object["apiKey"] as? String)]
            for key in keys {
                let secret = String(key.dropFirst("vgk_".count + 16 + 1))  // base64url may itself hold "_"
                #expect(secret.count == 43, "256 bits in base64url")
                let keyID = String(key.dropFirst(4).prefix(16))
                // The hash is computed by PostgreSQL, independently of the server's code.
                #expect(
                    try await client.count(
                        """
                        SELECT count(*) FROM gateway_keys WHERE key_id = $1 AND hash = encode(sha256(convert_to($2, 'UTF8')), 'hex')
                        """, [keyID, key]) == 1)
                #expect(
                    try await client.count(
                        """
                        SELECT count(*) FROM gateway_keys WHERE position($1 IN hash || key_id || gateway_id::text) > 0
                        """, [secret]) == 0)
                #expect(
                    try await client.count(
                        """
                        SELECT count(*) FROM events WHERE position($1 IN data::text || metadata::text) > 0
                        """, [secret]) == 0, "the event log holds a key")
                #expect(
                    try await client.count(
                        """
                        SELECT count(*) FROM events WHERE type = 'GatewayKeyIssued' AND data::text LIKE '%' || encode(sha256(convert_to($1, 'UTF8')), 'hex') || '%'
                        """, [key]) == 1)
                #expect(try await client.count("SELECT count(*) FROM access_log WHERE position($1 IN route || subject) > 0", [secret]) == 0)
            }
        }
    }
}
