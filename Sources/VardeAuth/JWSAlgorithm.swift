/// The JWS signing algorithms Varde accepts (RFC 7518 §3). Everything else,
/// `none` and the HMAC family included, is refused.
enum JWSAlgorithm: String, Sendable {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case rs256 = "RS256"
    /// ECDSA on P-256 with SHA-256; the signature is raw `r || s`, 64 bytes.
    case es256 = "ES256"
}
