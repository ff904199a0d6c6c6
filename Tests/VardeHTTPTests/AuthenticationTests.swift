import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VardeAuth
import VardeCore
import VardeHTTP
import VardeTestSupport

/// An application configured with a real identity provider: a JWKS file, an
/// issuer and an audience (and `--dev-auth` too, which the provider overrides).
enum IdentityProviderApp {
    static let issuer = "https://helseid-sts.test.nhn.no"
    static let audience = "varde-api"

    static func run(roleClaim: String? = nil, _ body: @escaping @Sendable (Client, DevelopmentKey) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "varde-idp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = try DevelopmentKey.loadOrCreate(at: folder.appending(path: "idp.pem").path)
        let jwks = folder.appending(path: "jwks.json")
        try key.jwksJSON.write(to: jwks)
        var configuration = TestApp.configuration
        configuration.jwksFile = jwks.path
        configuration.jwtIssuer = issuer
        configuration.jwtAudience = audience
        if let roleClaim { configuration.roleClaim = roleClaim }
        try await TestDatabase.with(maxConnections: 4) { database, _ in
            let app = try await buildApplication(configuration, logger: TestDatabase.logger, database: database)
            try await app.test(.router) { client in
                try await body(Client(client: client, database: database, runtime: database), key)
            }
        }
    }

    static func sign(
        _ key: DevelopmentKey, role: StaffRole = .nurse, teams: [UUID] = [team], ttl: TimeInterval = 600,
        now: Date = Date(), issuer: String = issuer, audience: String = audience
    ) -> String {
        key.sign(subject: "helseid-\(role.rawValue)", role: role, teams: teams, ttl: ttl, now: now, issuer: issuer, audience: audience)
    }

    static let team = UUID()
    /// A route any nurse of `team` may read: her (empty) worklist.
    static let worklist = "/v1/teams/\(team)/patients"
}

@Suite("Authentication: staff tokens from an identity provider")
struct AuthenticationTests {
    /// Asserts a 401 with a `WWW-Authenticate: Bearer …` challenge.
    static func expectRefused(_ reply: Client.Reply, invalidToken: Bool = true, _ comment: String) {
        #expect(reply.status == .unauthorized, "\(comment): \(reply.status.code) \(reply.text)")
        let challenge = reply.headers[.wwwAuthenticate] ?? ""
        #expect(challenge.hasPrefix("Bearer "), "\(comment): \(challenge)")
        if invalidToken { #expect(challenge.contains(#"error="invalid_token""#), "\(comment): \(challenge)") }
        #expect(reply.headers[.contentType] == "application/problem+json")
    }

    @Test("a valid token is accepted, also just past exp within the clock skew; every failing check is a 401 with a challenge")
    func eachCheck() async throws {
        try await IdentityProviderApp.run { client, key in
            typealias IdP = IdentityProviderApp
            let path = IdP.worklist
            let valid = IdP.sign(key)
            #expect(try await client.request(.get, path, token: valid).status == .ok)
            let skewed = IdP.sign(key, ttl: 60, now: Date().addingTimeInterval(-90))
            #expect(try await client.request(.get, path, token: skewed).status == .ok, "30 s past exp is inside the 60 s skew")

            let expired = IdP.sign(key, ttl: 600, now: Date().addingTimeInterval(-3600))
            Self.expectRefused(try await client.request(.get, path, token: expired), "expired")
            let notYet = IdP.sign(key, now: Date().addingTimeInterval(600))
            Self.expectRefused(try await client.request(.get, path, token: notYet), "not yet valid")
            let audience = IdP.sign(key, audience: "another-api")
            Self.expectRefused(try await client.request(.get, path, token: audience), "wrong audience")
            let issuer = IdP.sign(key, issuer: "https://evil.example")
            Self.expectRefused(try await client.request(.get, path, token: issuer), "wrong issuer")
            let noTeams = IdP.sign(key, teams: [])
            Self.expectRefused(try await client.request(.get, path, token: noTeams), "nurse without teams")

            // Tampered payload: a nurse makes herself an admin, the signature no longer holds.
            let parts = valid.split(separator: ".").map(String.init)
            let payload = String(decoding: Self.base64URLDecode(parts[1]), as: UTF8.self)
                .replacingOccurrences(of: #""varde_role":"nurse""#, with: #""varde_role":"auditor""#)
            #expect(payload.contains("auditor"))
            let tampered = [parts[0], Self.base64URLEncode(Data(payload.utf8)), parts[2]].joined(separator: ".")
            Self.expectRefused(try await client.request(.get, path, token: tampered), "tampered payload")
            // alg none, with and without a signature.
            let none = Self.base64URLEncode(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
            Self.expectRefused(try await client.request(.get, path, token: none + "." + parts[1] + "."), "alg none")
            Self.expectRefused(try await client.request(.get, path, token: none + "." + parts[1] + "." + parts[2]), "alg none, signed")
            // The development key is not trusted once an identity provider is configured.
            let dev = try TestApp.token(.nurse, teams: [IdP.team])
            Self.expectRefused(try await client.request(.get, path, token: dev), "development key under an IdP")
        }
    }

    @Test("malformed or missing credentials are 401 with a Bearer challenge")
    func malformedHeaders() async throws {
        try await IdentityProviderApp.run { client, _ in
            let path = IdentityProviderApp.worklist
            Self.expectRefused(try await client.request(.get, path), invalidToken: false, "no header")
            for header in [
                "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer a b", "Bearer not-a-jwt", "Bearer a.b.c", "Token abc",
                "Bearer vgk_short",
            ] {
                let reply = try await client.request(.get, path, headers: [.authorization: header])
                Self.expectRefused(reply, invalidToken: false, "Authorization: \(header)")
            }
        }
    }

    @Test("a token without the configured role claim is refused")
    func missingRoleClaim() async throws {
        try await IdentityProviderApp.run(roleClaim: "helseid://claims/varde/role") { client, key in
            // Signed correctly, but the role sits under `varde_role`, not the configured claim.
            let token = IdentityProviderApp.sign(key)
            let reply = try await client.request(.get, IdentityProviderApp.worklist, token: token)
            Self.expectRefused(reply, "missing role claim")
            #expect(reply.headers[.wwwAuthenticate]?.contains("helseid://claims/varde/role") == true)
        }
    }

    static func base64URLDecode(_ text: String) -> Data {
        Data(base64URLEncoded: text) ?? Data()
    }

    static func base64URLEncode(_ data: Data) -> String {
        data.base64URLEncodedString()
    }
}
