import Crypto
import Foundation
import VardeCore
import _CryptoExtras

extension JSONWebKey {
    /// Smallest RSA modulus trusted for signatures.
    static let minimumRSABits = 2048

    /// Reads one JWK (RFC 7517 §4, RFC 7518 §6). Returns `nil` for keys Varde
    /// cannot or must not use for RS256/ES256 verification: other key types or
    /// curves, other algorithms, encryption keys (`use` ≠ `sig`), malformed or
    /// short keys. Such keys are skipped rather than fatal.
    init?(jwk: [String: JSONValue]) {
        if let use = jwk["use"], use.string != "sig" { return nil }
        let alg = jwk["alg"]
        let keyID = jwk["kid"]?.string
        switch jwk["kty"]?.string {
        case "RSA":
            guard alg == nil || alg?.string == JWSAlgorithm.rs256.rawValue,
                let n = Self.bytes(jwk["n"]), let e = Self.bytes(jwk["e"]),
                let key = try? _RSA.Signing.PublicKey(n: n, e: e),
                key.keySizeInBits >= Self.minimumRSABits
            else { return nil }
            self.init(rsa: key, keyID: keyID)
        case "EC":
            guard alg == nil || alg?.string == JWSAlgorithm.es256.rawValue,
                jwk["crv"]?.string == "P-256",
                let x = Self.coordinate(jwk["x"]), let y = Self.coordinate(jwk["y"]),
                let key = try? P256.Signing.PublicKey(rawRepresentation: x + y)
            else { return nil }
            self.init(p256: key, keyID: keyID)
        default:
            return nil
        }
    }

    /// This key as a JWK object with `kty`, `use`, `alg`, `kid` and the public parameters.
    var jwk: [String: JSONValue] {
        var members: [String: JSONValue] = [
            "kty": .string(keyType), "use": .string("sig"), "alg": .string(algorithm.rawValue),
        ]
        if let keyID { members["kid"] = .string(keyID) }
        switch material {
        case .rsa(let key):
            if let primitives = try? key.getKeyPrimitives() {
                members["n"] = .string(primitives.modulus.base64URLEncodedString())
                members["e"] = .string(primitives.publicExponent.base64URLEncodedString())
            }
        case .p256(let raw):
            members["crv"] = .string("P-256")
            members["x"] = .string(raw.prefix(32).base64URLEncodedString())
            members["y"] = .string(raw.suffix(32).base64URLEncodedString())
        }
        return members
    }

    private static func bytes(_ value: JSONValue?) -> Data? {
        guard let text = value?.string, let data = Data(base64URLEncoded: text, allowPadding: true),
            !data.isEmpty
        else { return nil }
        return data
    }

    /// A P-256 coordinate, left-padded to 32 bytes if an encoder dropped leading zeros.
    private static func coordinate(_ value: JSONValue?) -> Data? {
        guard let data = bytes(value), data.count <= 32 else { return nil }
        return Data(repeating: 0, count: 32 - data.count) + data
    }
}
