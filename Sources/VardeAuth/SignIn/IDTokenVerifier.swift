import Foundation

/// Checks an OpenID Connect ID token from the token endpoint (OpenID Connect
/// Core §3.1.3.7): signed by one of the provider's keys with RS256 or ES256,
/// `iss` the provider, `aud` naming this client (and `azp` this client when
/// there are several audiences), unexpired, and carrying the `nonce` this
/// sign-in sent. An access token (`typ` `at+jwt`) is refused: one kind of
/// token must never pass as another (RFC 8725 §3.11).
public struct IDTokenVerifier: Sendable {
    /// Who signed in, as the ID token says.
    public struct Claims: Sendable, Equatable {
        public var subject: String
        /// The `name` claim, when the provider sends one.
        public var name: String?
    }

    let checks: JWTVerifier
    public var clientID: String { checks.audience }

    public init(jwks: JWKS, issuer: String, clientID: String, leeway: TimeInterval = 60) {
        checks = JWTVerifier(jwks: jwks, issuer: issuer, audience: clientID, leeway: leeway)
    }

    public func verify(_ token: String, nonce: String, now: Date = Date()) throws(AuthError) -> Claims {
        let jws = try CompactJWS(token)
        let algorithm = try jws.algorithm()
        let keyID = try jws.keyID()
        if let type = jws.header["typ"] {
            guard type.string?.lowercased() == "jwt" else { throw .wrongType }
        }
        let candidates = checks.jwks.candidates(for: algorithm, keyID: keyID)
        guard !candidates.isEmpty else { throw .unknownKey }
        guard candidates.contains(where: { $0.isValidSignature(jws.signature, over: jws.signingInput) }) else { throw .badSignature }
        let claims = ClaimSet(jws.payload)
        _ = try checks.checkLifetime(claims, now: now)
        guard try claims.numericDate("iat") != nil else { throw .missingClaim("iat") }
        _ = try checks.checkIssuer(claims)
        try checks.checkAudience(claims)
        if let audiences = try claims.strings("aud"), audiences.count > 1 {
            guard claims["azp"]?.string == clientID else { throw .invalidClaim("azp") }
        }
        guard let sent = claims["nonce"]?.string else { throw .missingClaim("nonce") }
        guard PKCE.constantTimeEquals(sent, nonce) else { throw .nonceMismatch }
        let subject = try checks.subject(claims)
        let name = claims["name"]?.string.flatMap { $0.isEmpty || $0.count > 200 ? nil : $0 }
        return Claims(subject: subject, name: name)
    }
}
