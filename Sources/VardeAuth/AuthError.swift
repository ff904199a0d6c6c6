/// Why a bearer token was refused. Every case maps to HTTP 401.
///
/// `description` is short, fixed text fit for an `error_description`; it never
/// contains anything taken from the token itself.
public enum AuthError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed
    /// The header's `typ` is missing or not one a bearer access token has.
    case wrongType
    /// `exp - iat` is longer than the configured maximum (or `iat` is missing then).
    case lifetimeTooLong
    case unsupportedAlgorithm
    case unknownKey
    case badSignature
    case expired
    case notYetValid
    case wrongIssuer
    case wrongAudience
    /// A required claim is absent; carries the (configured) claim name.
    case missingClaim(String)
    /// A claim is present but unusable; carries the (configured) claim name.
    case invalidClaim(String)
    /// An ID token's `nonce` is not the one the sign-in sent (a replayed or injected token).
    case nonceMismatch

    public var description: String {
        switch self {
        case .malformed: "The access token is malformed"
        case .wrongType: "The token is not an access token (typ must be at+jwt or JWT)"
        case .lifetimeTooLong: "The token is valid for longer than this service accepts"
        case .unsupportedAlgorithm: "The token signing algorithm is not accepted"
        case .unknownKey: "The token was signed with an unknown key"
        case .badSignature: "The token signature is invalid"
        case .expired: "The token has expired"
        case .notYetValid: "The token is not valid yet"
        case .wrongIssuer: "The token issuer is not trusted"
        case .wrongAudience: "The token is not intended for this service"
        case .missingClaim(let name): "The token lacks the required claim \(Self.quotable(name))"
        case .invalidClaim(let name): "The token claim \(Self.quotable(name)) is invalid"
        case .nonceMismatch: "The ID token was not issued for this sign-in"
        }
    }

    /// The full `WWW-Authenticate` header value for this error (RFC 6750 §3).
    public var wwwAuthenticate: String {
        "Bearer error=\"invalid_token\", error_description=\"\(description)\""
    }

    /// Keeps only characters RFC 6750 allows inside `error_description`
    /// (printable ASCII except `"` and `\`), so an odd claim name cannot break the header.
    private static func quotable(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.filter {
                    $0.value >= 0x20 && $0.value <= 0x7E && $0 != "\"" && $0 != "\\"
                }.prefix(64)))
    }
}
