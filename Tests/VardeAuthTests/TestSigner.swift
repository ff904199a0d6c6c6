import Crypto
import Foundation
import VardeAuth
import VardeCore
import _CryptoExtras

/// Test-only keys, JWKS documents and a minimal JWS signer, independent of VardeAuth's own encoding
/// (base64url is VardeCore's, held to RFC 4648's vectors by `Base64URLTests`).
enum TestKeys {
    static let rsa = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let otherRSA = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    /// P-256 keys as raw scalars (swift-crypto's P-256 key type is not Sendable).
    static let ecSecret = P256.Signing.PrivateKey().rawRepresentation
    static var ec: P256.Signing.PrivateKey { try! P256.Signing.PrivateKey(rawRepresentation: ecSecret) }

    static let rsaKeyID = "rsa-1"
    static let ecKeyID = "ec-1"
    static let issuer = "https://helseid-sts.test.nhn.no"
    static let audience = "varde-api"
    static let team = UUID(uuidString: "0E7A3B52-5C1D-4B7E-9F6A-2D8C1E4F5A6B")!
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    static func rsaJWK(_ key: _RSA.Signing.PublicKey, kid: String?, alg: String? = "RS256") -> [String: Any] {
        let primitives = try! key.getKeyPrimitives()
        var jwk: [String: Any] = [
            "kty": "RSA", "use": "sig",
            "n": b64url(primitives.modulus), "e": b64url(primitives.publicExponent),
        ]
        if let kid { jwk["kid"] = kid }
        if let alg { jwk["alg"] = alg }
        return jwk
    }

    static func ecJWK(_ key: P256.Signing.PublicKey, kid: String?) -> [String: Any] {
        let raw = key.rawRepresentation
        var jwk: [String: Any] = [
            "kty": "EC", "crv": "P-256", "alg": "ES256",
            "x": b64url(raw.prefix(32)), "y": b64url(raw.suffix(32)),
        ]
        if let kid { jwk["kid"] = kid }
        return jwk
    }

    static func jwksJSON(_ keys: [[String: Any]]) -> Data {
        try! JSONSerialization.data(withJSONObject: ["keys": keys], options: [.sortedKeys])
    }

    /// The RSA and EC test keys, as an identity provider would publish them.
    static var jwks: JWKS {
        try! JWKS(json: jwksJSON([rsaJWK(rsa.publicKey, kid: rsaKeyID), ecJWK(ec.publicKey, kid: ecKeyID)]))
    }

    static func verifier(leeway: TimeInterval = 60) -> JWTVerifier {
        JWTVerifier(jwks: jwks, issuer: issuer, audience: audience, leeway: leeway)
    }
}

enum TestSigner {
    enum Key {
        case rsa(_RSA.Signing.PrivateKey)
        case ec(P256.Signing.PrivateKey)
        /// Sign nothing: empty signature segment.
        case none
    }

    /// Valid nurse claims at `TestKeys.now`, with `changes` applied (`NSNull()` removes a claim).
    static func claims(_ changes: [String: Any] = [:]) -> [String: Any] {
        let now = TestKeys.now.timeIntervalSince1970
        var claims: [String: Any] = [
            "iss": TestKeys.issuer, "aud": TestKeys.audience, "sub": "nurse-1",
            "varde_role": "nurse", "varde_teams": [TestKeys.team.uuidString.lowercased()],
            "iat": now - 10, "nbf": now - 10, "exp": now + 300, "jti": "token-42",
        ]
        for (name, value) in changes {
            claims[name] = value is NSNull ? nil : value
        }
        return claims
    }

    static func token(
        _ claims: [String: Any] = claims(), key: Key = .rsa(TestKeys.rsa),
        alg: String? = nil, kid: String? = nil, header extra: [String: Any] = [:]
    ) -> String {
        var header: [String: Any] = ["typ": "JWT"]
        switch key {
        case .rsa:
            header["alg"] = alg ?? "RS256"
            header["kid"] = kid ?? TestKeys.rsaKeyID
        case .ec:
            header["alg"] = alg ?? "ES256"
            header["kid"] = kid ?? TestKeys.ecKeyID
        case .none:
            header["alg"] = alg ?? "none"
            header["kid"] = kid
        }
        if kid == "" { header["kid"] = nil }
        for (name, value) in extra { header[name] = value is NSNull ? nil : value }
        let input = segment(header) + "." + segment(claims)
        return input + "." + b64url(sign(Data(input.utf8), key: key))
    }

    static func sign(_ input: Data, key: Key) -> Data {
        switch key {
        case .rsa(let rsa): try! rsa.signature(for: input, padding: .insecurePKCS1v1_5).rawRepresentation
        case .ec(let ec): try! ec.signature(for: input).rawRepresentation
        case .none: Data()
        }
    }

    static func segment(_ object: [String: Any]) -> String {
        b64url(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}

func b64url(_ data: some DataProtocol) -> String {
    Data(data).base64URLEncodedString()
}
