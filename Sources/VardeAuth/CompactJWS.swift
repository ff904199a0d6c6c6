import Foundation
import VardeCore

/// A JWT in JWS compact serialization (RFC 7515 §7.1), split and decoded but
/// not yet verified.
struct CompactJWS {
    /// Tokens longer than this are refused before any decoding.
    static let maximumLength = 16 * 1024

    let header: [String: JSONValue]
    let payload: [String: JSONValue]
    /// The ASCII bytes of `header.payload`, which the signature covers.
    let signingInput: Data
    let signature: Data

    init(_ token: String) throws(AuthError) {
        guard token.utf8.count <= Self.maximumLength else { throw .malformed }
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty,
            let headerData = Data(base64URLEncoded: Substring(parts[0])),
            let payloadData = Data(base64URLEncoded: Substring(parts[1])),
            let signature = Data(base64URLEncoded: Substring(parts[2])),
            let header = JSONValue.object(from: headerData),
            let payload = JSONValue.object(from: payloadData)
        else { throw .malformed }
        self.header = header
        self.payload = payload
        self.signingInput = Data(token.utf8.prefix(parts[0].count + 1 + parts[1].count))
        self.signature = signature
    }

    /// The header's `alg`, if it is one Varde accepts.
    func algorithm() throws(AuthError) -> JWSAlgorithm {
        guard let name = header["alg"]?.string else { throw .malformed }
        guard let algorithm = JWSAlgorithm(rawValue: name) else { throw .unsupportedAlgorithm }
        // RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
        guard header["crit"] == nil else { throw .unsupportedAlgorithm }
        return algorithm
    }

    /// The header's `kid`; present but not a string is malformed.
    func keyID() throws(AuthError) -> String? {
        switch header["kid"] {
        case nil, .null?: return nil
        case .string(let keyID)?: return keyID
        default: throw .malformed
        }
    }
}
