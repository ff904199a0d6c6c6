import Crypto
import Foundation
import VardeCore

/// The ES256 key behind `varde token issue`, trusted by the server only under
/// `varde serve --dev-auth`. Never use it in production.
public struct DevelopmentKey: Sendable {
    /// `iss` of development tokens.
    public static let issuer = "varde-dev"
    /// `aud` of development tokens.
    public static let audience = "varde"
    /// `kid` of the development key.
    public static let keyID = "varde-dev"

    /// The raw private scalar (swift-crypto's key type is not `Sendable`).
    private let secret: Data
    private let publicKey: Data

    public init(privateKey: P256.Signing.PrivateKey) {
        self.secret = privateKey.rawRepresentation
        self.publicKey = privateKey.publicKey.rawRepresentation
    }

    /// The private key, rebuilt from `secret`.
    var privateKey: P256.Signing.PrivateKey {
        get throws { try P256.Signing.PrivateKey(rawRepresentation: secret) }
    }

    /// The public half, as a one-key set.
    public var jwks: JWKS {
        JWKS(keys: [JSONWebKey(p256Point: publicKey, keyID: Self.keyID)])
    }

    /// `jwks` as a JWKS JSON document.
    public var jwksJSON: Data {
        jwks.jsonData()
    }

    /// A verifier that accepts this key's tokens with the development issuer and audience.
    public func verifier(leeway: TimeInterval = 60) -> JWTVerifier {
        JWTVerifier(jwks: jwks, issuer: Self.issuer, audience: Self.audience, leeway: leeway)
    }

    /// A signed staff token with the default claim names (`sub`, `varde_role`,
    /// `varde_teams`), `iat` = `nbf` = `now`, `exp` = `now + ttl` and a random `jti`.
    public func sign(
        subject: String, role: StaffRole, teams: [UUID], ttl: TimeInterval = 3600,
        now: Date = Date(), issuer: String = DevelopmentKey.issuer,
        audience: String = DevelopmentKey.audience
    ) -> String {
        let names = JWTVerifier.ClaimNames()
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        let claims: [String: JSONValue] = [
            "iss": .string(issuer),
            "aud": .string(audience),
            names.subject: .string(subject),
            names.role: .string(role.rawValue),
            names.teams: .array(teams.map { .string($0.uuidString.lowercased()) }),
            "iat": .number(issuedAt),
            "nbf": .number(issuedAt),
            "exp": .number(issuedAt + ttl.rounded(.up)),
            "jti": .string(UUID().uuidString.lowercased()),
        ]
        let header: [String: JSONValue] = [
            "alg": .string(JWSAlgorithm.es256.rawValue), "typ": .string("JWT"), "kid": .string(Self.keyID),
        ]
        let input = Self.segment(header) + "." + Self.segment(claims)
        do {
            let signature = try privateKey.signature(for: Data(input.utf8))
            return input + "." + signature.rawRepresentation.base64URLEncodedString()
        } catch {
            // Only fails if BoringSSL cannot allocate or draw randomness.
            fatalError("ES256 signing with the development key failed")
        }
    }

    private static func segment(_ object: [String: JSONValue]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a JSONValue tree of strings and finite numbers cannot fail.
        let data = (try? encoder.encode(JSONValue.object(object))) ?? Data("{}".utf8)
        return data.base64URLEncodedString()
    }
}
