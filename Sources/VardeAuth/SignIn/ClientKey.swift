import Crypto
import Foundation
import VardeCore
import _CryptoExtras

/// The web app's own key for `private_key_jwt` client authentication at the
/// identity provider's token endpoint (RFC 7523 §2.2, OpenID Connect Core
/// §9): an RSA (RS256, at least 2048 bits) or P-256 (ES256) private key read
/// from a PEM file. Its public half is what the provider registers (HelseID:
/// the client's JWK); `kid` is the key's RFC 7638 thumbprint, so the
/// registered key and the assertions name it the same way.
public struct ClientKey: Sendable {
    enum Secret: Sendable {
        /// PKCS#1 DER, re-read for each signature (the key type itself holds a C object).
        case rsa(Data)
        case p256(Data)
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case unreadable(String)
        case unsupported

        public var description: String {
            switch self {
            case .unreadable(let why): "the client key file cannot be read: \(why)"
            case .unsupported: "the client key must be an RSA (at least 2048 bits) or P-256 private key in PEM"
            }
        }
    }

    let secret: Secret
    /// The public half, with `kid` = thumbprint.
    public let publicKey: JSONWebKey

    public var keyID: String { publicKey.keyID ?? "" }
    var algorithm: JWSAlgorithm { publicKey.algorithm }

    public init(pem: String) throws(Failure) {
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            secret = .p256(key.rawRepresentation)
            let point = key.publicKey.rawRepresentation
            publicKey = JSONWebKey(p256Point: point, keyID: Self.thumbprint(ec: point))
        } else if let key = try? _RSA.Signing.PrivateKey(pemRepresentation: pem), key.keySizeInBits >= JSONWebKey.minimumRSABits {
            secret = .rsa(key.derRepresentation)
            guard let primitives = try? key.publicKey.getKeyPrimitives() else { throw .unsupported }
            publicKey = JSONWebKey(rsa: key.publicKey, keyID: Self.thumbprint(n: primitives.modulus, e: primitives.publicExponent))
        } else {
            throw .unsupported
        }
    }

    /// Reads the PEM file at `path`.
    public static func load(path: String) throws(Failure) -> ClientKey {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable("\(path): \(error.localizedDescription)")
        }
        return try ClientKey(pem: text)
    }

    /// The public key as a one-key JWKS document: what to register at the provider.
    public var publicJWKS: Data { JWKS(keys: [publicKey]).jsonData() }

    /// A client assertion for the token endpoint: `iss` = `sub` = the client
    /// id, `aud` the token endpoint, a fresh `jti`, valid for 60 s.
    public func assertion(clientID: String, audience: String, now: Date = Date()) throws -> String {
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        let claims: [String: JSONValue] = [
            "iss": .string(clientID), "sub": .string(clientID), "aud": .string(audience),
            "jti": .string(PKCE.randomToken()), "iat": .number(issuedAt), "nbf": .number(issuedAt), "exp": .number(issuedAt + 60),
        ]
        let header: [String: JSONValue] = ["alg": .string(algorithm.rawValue), "typ": .string("JWT"), "kid": .string(keyID)]
        let input = Self.segment(header) + "." + Self.segment(claims)
        let signature: Data
        switch secret {
        case .rsa(let der):
            let key = try _RSA.Signing.PrivateKey(derRepresentation: der)
            signature = try key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5).rawRepresentation
        case .p256(let raw):
            signature = try P256.Signing.PrivateKey(rawRepresentation: raw).signature(for: Data(input.utf8)).rawRepresentation
        }
        return input + "." + signature.base64URLEncodedString()
    }

    static func segment(_ object: [String: JSONValue]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(JSONValue.object(object))) ?? Data("{}".utf8)).base64URLEncodedString()
    }

    /// RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
    static func thumbprint(n: Data, e: Data) -> String {
        digest(#"{"e":"\#(e.base64URLEncodedString())","kty":"RSA","n":"\#(n.base64URLEncodedString())"}"#)
    }

    static func thumbprint(ec point: Data) -> String {
        let x = point.prefix(32).base64URLEncodedString(), y = point.suffix(32).base64URLEncodedString()
        return digest(#"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#)
    }

    private static func digest(_ json: String) -> String {
        Data(SHA256.hash(data: Data(json.utf8))).base64URLEncodedString()
    }
}
