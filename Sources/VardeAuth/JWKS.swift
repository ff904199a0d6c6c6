import Foundation

/// A JSON Web Key Set (RFC 7517 §5): the public keys a `JWTVerifier` trusts.
public struct JWKS: Sendable {
    /// Why a JWKS document could not be used.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not JSON, or not an object with a `keys` array.
        case invalidDocument
        /// No key in the set is an RS256 or ES256 signing key Varde accepts.
        case noUsableKeys

        public var description: String {
            switch self {
            case .invalidDocument: "JWKS is not a JSON object with a \"keys\" array"
            case .noUsableKeys: "JWKS holds no usable RS256 (RSA ≥ 2048 bits) or ES256 (P-256) signing key"
            }
        }
    }

    /// The usable keys, in document order.
    public let keys: [JSONWebKey]
    /// How many entries of the parsed document were skipped as unusable.
    public let skippedCount: Int

    public init(keys: [JSONWebKey]) {
        self.init(keys: keys, skippedCount: 0)
    }

    private init(keys: [JSONWebKey], skippedCount: Int) {
        self.keys = keys
        self.skippedCount = skippedCount
    }

    /// Parses a JWKS document. Keys of other types, curves or algorithms are
    /// skipped (see `skippedCount`); a set with no usable key is an error.
    public init(json: Data) throws(ParseError) {
        guard let document = JSONValue.object(from: json),
            case .array(let entries)? = document["keys"]
        else { throw .invalidDocument }
        var keys: [JSONWebKey] = []
        for case .object(let jwk) in entries {
            if let key = JSONWebKey(jwk: jwk) { keys.append(key) }
        }
        guard !keys.isEmpty else { throw .noUsableKeys }
        self.init(keys: keys, skippedCount: entries.count - keys.count)
    }

    /// This set and `other`'s keys together (e.g. a provider's set plus the development key).
    public func merging(_ other: JWKS) -> JWKS {
        JWKS(keys: keys + other.keys, skippedCount: skippedCount + other.skippedCount)
    }

    /// The set as a JWKS JSON document (public parameters only).
    public func jsonData() -> Data {
        let document = JSONValue.object(["keys": .array(keys.map { .object($0.jwk) })])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)) ?? Data(#"{"keys":[]}"#.utf8)
    }

    /// Keys that may have signed a token with this header: those of the
    /// algorithm's key type, and with the same `kid` when the token names one.
    func candidates(for algorithm: JWSAlgorithm, keyID: String?) -> [JSONWebKey] {
        keys.filter { key in
            key.algorithm == algorithm && (keyID == nil || key.keyID == keyID)
        }
    }
}
