import Foundation

/// Who a verified staff token speaks for. Built only by `JWTVerifier`.
public struct StaffIdentity: Sendable, Hashable {
    /// The subject claim: the staff member's stable id at the identity provider.
    public let subject: String
    public let role: StaffRole
    /// Teams whose patients this person may see; never empty for nurses and clinicians.
    public let teams: [UUID]
    /// The token's `exp`.
    public let expiresAt: Date
    /// The token's `iss` (equal to the verifier's expected issuer).
    public let issuer: String
    /// The token's `jti`, if it had one (useful for the access log, never a secret).
    public let tokenID: String?

    public init(
        subject: String, role: StaffRole, teams: [UUID],
        expiresAt: Date, issuer: String, tokenID: String? = nil
    ) {
        self.subject = subject
        self.role = role
        self.teams = teams
        self.expiresAt = expiresAt
        self.issuer = issuer
        self.tokenID = tokenID
    }
}
