import Crypto
import Foundation
import VardeCore

/// Random values of the authorization code flow: the PKCE verifier and its
/// S256 challenge (RFC 7636), `state`, `nonce`, session ids.
public enum PKCE {
    /// 32 random bytes as base64url (43 characters): unguessable, and within
    /// RFC 7636's 43–128 characters for a verifier.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64URLEncodedString()
    }

    /// `BASE64URL(SHA256(verifier))`, the `code_challenge` for method S256.
    public static func challenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString()
    }

    /// Lower-case hex SHA-256: how session ids and login-binding cookies are
    /// kept in the database (a stolen table row names no usable cookie).
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Equal strings compared in time independent of where they differ.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
