import Foundation

/// Verifies staff bearer JWTs (RS256/ES256) against a JWKS, issuer and audience,
/// and reads role and teams from configurable claims.
///
/// Pure and `Sendable`: build one at startup, share it across requests.
public struct JWTVerifier: Sendable {
    /// Names of the claims that carry identity. Providers such as HelseID use
    /// their own names; configure them here.
    public struct ClaimNames: Sendable, Equatable {
        public var role: String
        public var teams: String
        public var subject: String

        public init(role: String = "varde_role", teams: String = "varde_teams", subject: String = "sub") {
            self.role = role
            self.teams = teams
            self.subject = subject
        }
    }

    public let jwks: JWKS
    public let issuer: String
    public let audience: String
    /// Allowed clock skew for `exp`, `nbf` and `iat`, in seconds.
    public let leeway: TimeInterval
    public let claimNames: ClaimNames
    /// The longest `exp - iat` accepted, or nil for any.
    public let maximumLifetime: TimeInterval?

    /// `typ` values of a bearer access token, compared without case: RFC 9068
    /// (`at+jwt`, in full `application/at+jwt`) and plain `JWT`, which many
    /// providers still send. An ID token or any other JWT is refused
    /// (RFC 8725 §3.11: explicit typing keeps one kind from passing as another).
    public static let acceptedTypes: Set<String> = ["at+jwt", "application/at+jwt", "jwt"]

    public init(
        jwks: JWKS, issuer: String, audience: String,
        leeway: TimeInterval = 60, claimNames: ClaimNames = ClaimNames(), maximumLifetime: TimeInterval? = nil
    ) {
        self.jwks = jwks
        self.issuer = issuer
        self.audience = audience
        self.leeway = max(0, leeway)
        self.claimNames = claimNames
        self.maximumLifetime = maximumLifetime
    }

    /// The same checks against another key set (the provider rotated its keys).
    public func with(jwks: JWKS) -> JWTVerifier {
        JWTVerifier(
            jwks: jwks, issuer: issuer, audience: audience, leeway: leeway, claimNames: claimNames, maximumLifetime: maximumLifetime)
    }

    /// Checks `token` completely and returns who it speaks for.
    ///
    /// Order: shape, algorithm, key, signature, then claims — nothing in the
    /// payload is trusted before the signature holds.
    public func verify(_ token: String, now: Date = Date()) throws(AuthError) -> StaffIdentity {
        let jws = try CompactJWS(token)
        let algorithm = try jws.algorithm()
        let keyID = try jws.keyID()
        guard let type = jws.header["typ"]?.string, Self.acceptedTypes.contains(type.lowercased()) else { throw .wrongType }
        let candidates = jwks.candidates(for: algorithm, keyID: keyID)
        guard !candidates.isEmpty else { throw .unknownKey }
        guard candidates.contains(where: { $0.isValidSignature(jws.signature, over: jws.signingInput) }) else {
            throw .badSignature
        }
        let claims = ClaimSet(jws.payload)
        let expiresAt = try checkLifetime(claims, now: now)
        let tokenIssuer = try checkIssuer(claims)
        try checkAudience(claims)
        let subject = try subject(claims)
        let role = try role(claims)
        let teams = try teams(claims, role: role)
        return StaffIdentity(
            subject: subject, role: role, teams: teams,
            expiresAt: expiresAt, issuer: tokenIssuer, tokenID: claims["jti"]?.string
        )
    }
}
