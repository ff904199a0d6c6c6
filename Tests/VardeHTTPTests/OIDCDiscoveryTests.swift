import AsyncHTTPClient
import Foundation
import Testing
import VardeAuth
import VardeHTTP

/// Issue 16: staff tokens checked against an OpenID Connect provider found by
/// discovery, a real one (the local test provider) whose keys rotate and
/// which goes down during the test.
@Suite("Authentication: OpenID Connect discovery", .serialized)
struct OIDCDiscoveryTests {
    /// An authenticated request that touches no patient: 404 once the token is accepted, 401 otherwise.
    static func accepted(_ client: Client, _ token: String) async throws -> Bool {
        let status = try await client.request(.get, "/v1/teams/\(UUID())", token: token).status
        #expect(status == .notFound || status == .unauthorized, "\(status)")
        return status == .notFound
    }

    static func run(
        maxLifetime: TimeInterval? = nil, _ body: @escaping @Sendable (Client, OIDCTestProvider) async throws -> Void
    ) async throws {
        let provider = try OIDCTestProvider.start()
        defer { provider.stop() }
        try await TestApp.run(configure: {
            $0.devAuth = false
            $0.oidcIssuer = provider.issuer
            $0.jwtAudience = "varde-api"
            $0.maxTokenLifetime = maxLifetime
        }) { client in
            try await body(client, provider)
        }
    }

    @Test("keys rotate during the run: a token of the new key is accepted after one refresh, the retired key's no longer")
    func rotation() async throws {
        try await Self.run { client, provider in
            #expect(try await Self.accepted(client, try await provider.token()))
            let before = try await provider.stats()["jwks"] ?? 0
            try await provider.admin("/admin/rotate", ["retire_old": true])
            #expect(try await Self.accepted(client, try await provider.token()), "a token of the new key")
            #expect(try await provider.stats()["jwks"] == before + 1, "one refresh for the unknown key id")
            #expect(try await !Self.accepted(client, try await provider.token(signWith: "retired")), "the retired key")
            // Unknown key ids again and again: no further refresh within the interval.
            for _ in 0..<5 { #expect(try await !Self.accepted(client, try await provider.token(signWith: "unpublished"))) }
            #expect(try await provider.stats()["jwks"] == before + 1, "refreshes are rate-limited")
        }
    }

    @Test("the provider unreachable: the last good keys stay in use, and a refresh failure keeps them")
    func outage() async throws {
        try await Self.run { client, provider in
            let token = try await provider.token()
            try await provider.admin("/admin/outage", ["down": true])
            #expect(try await Self.accepted(client, token), "known keys keep working while the provider is down")
            let direct = try OIDCProvider(issuer: provider.issuer, http: .shared)
            try await provider.admin("/admin/outage", ["down": false])
            _ = try await direct.refresh()
            try await provider.admin("/admin/outage", ["down": true])
            await #expect(throws: OIDCProvider.Failure.self) { try await direct.refresh() }
            #expect(direct.jwks?.keys.isEmpty == false && direct.counts == (refreshes: 1, failures: 1))
            try await provider.admin("/admin/outage", ["down": false])
        }
    }

    @Test("typ must be at+jwt or JWT; alg none and HS256 are refused; a token longer-lived than allowed is refused")
    func tokenChecks() async throws {
        try await Self.run(maxLifetime: 900) { client, provider in
            #expect(try await Self.accepted(client, try await provider.token(typ: "at+jwt")))
            #expect(try await Self.accepted(client, try await provider.token(typ: "JWT")))
            #expect(try await !Self.accepted(client, try await provider.token(typ: NSNull())))
            #expect(try await !Self.accepted(client, try await provider.token(typ: "id+jwt")))
            #expect(try await !Self.accepted(client, try await provider.token(alg: "none")))
            #expect(try await !Self.accepted(client, try await provider.token(alg: "HS256")))
            #expect(try await Self.accepted(client, try await provider.token(ttl: 600)))
            #expect(try await !Self.accepted(client, try await provider.token(ttl: 3600)), "longer than the 900 s allowed")
            let refused = try await client.request(.get, "/v1/teams/\(UUID())", token: try await provider.token(ttl: 3600))
            #expect(refused.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
        }
    }

    @Test("the issuer must be https, except on a loopback address")
    func httpsOnly() throws {
        #expect(throws: OIDCProvider.Failure.self) { try OIDCProvider(issuer: "http://helseid.example.no", http: .shared) }
        #expect(throws: OIDCProvider.Failure.self) { try OIDCProvider(issuer: "ftp://127.0.0.1", http: .shared) }
        _ = try OIDCProvider(issuer: "https://helseid-sts.nhn.no", http: .shared)
        _ = try OIDCProvider(issuer: "http://127.0.0.1:8443", http: .shared)
        _ = try OIDCProvider(issuer: "http://localhost:8443", http: .shared)
    }
}
