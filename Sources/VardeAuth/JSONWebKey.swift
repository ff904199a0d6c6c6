import Crypto
import Foundation
import _CryptoExtras

/// One public signing key from a JWKS: RSA (for RS256) or EC P-256 (for ES256).
public struct JSONWebKey: Sendable {
    enum Material: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        /// The validated 64-byte `x || y` point. swift-crypto's P-256 key type is
        /// not `Sendable`, so the key is rebuilt from these bytes when verifying.
        case p256(Data)
    }

    /// The `kid` the provider gave the key, if any.
    public let keyID: String?
    let material: Material

    /// An RSA key for RS256. Keys under 2048 bits are not accepted by `JWKS` parsing.
    public init(rsa key: _RSA.Signing.PublicKey, keyID: String?) {
        self.keyID = keyID
        self.material = .rsa(key)
    }

    /// A P-256 key for ES256.
    public init(p256 key: P256.Signing.PublicKey, keyID: String?) {
        self.keyID = keyID
        self.material = .p256(key.rawRepresentation)
    }

    /// A P-256 key from its already validated 64-byte `x || y` point.
    init(p256Point point: Data, keyID: String?) {
        self.keyID = keyID
        self.material = .p256(point)
    }

    /// `"RSA"` or `"EC"`, as in the JWK `kty` member.
    public var keyType: String {
        switch material {
        case .rsa: "RSA"
        case .p256: "EC"
        }
    }

    /// The one algorithm this key is used with.
    var algorithm: JWSAlgorithm {
        switch material {
        case .rsa: .rs256
        case .p256: .es256
        }
    }

    /// Whether `signature` is this key's valid signature over `input` (the ASCII
    /// `header.payload` of a compact JWS).
    func isValidSignature(_ signature: Data, over input: Data) -> Bool {
        switch material {
        case .rsa(let key):
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature),
                for: SHA256.hash(data: input),
                padding: .insecurePKCS1v1_5
            )
        case .p256(let point):
            guard let key = try? P256.Signing.PublicKey(rawRepresentation: point),
                let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            else { return false }
            return key.isValidSignature(ecdsa, for: SHA256.hash(data: input))
        }
    }
}
