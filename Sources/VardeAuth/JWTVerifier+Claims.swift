import Foundation

extension JWTVerifier {
    /// Longest subject accepted; it ends up in the access log.
    static let maximumSubjectLength = 255

    /// `exp` is required and must not have passed (`now < exp + leeway`);
    /// `nbf` and `iat`, when present, must not lie ahead (`value <= now + leeway`).
    func checkLifetime(_ claims: ClaimSet, now: Date) throws(AuthError) -> Date {
        let seconds = now.timeIntervalSince1970
        guard let exp = try claims.numericDate("exp") else { throw .missingClaim("exp") }
        guard seconds < exp + leeway else { throw .expired }
        if let nbf = try claims.numericDate("nbf"), nbf > seconds + leeway { throw .notYetValid }
        let iat = try claims.numericDate("iat")
        if let iat, iat > seconds + leeway { throw .notYetValid }
        if let maximumLifetime {
            guard let iat, exp - iat <= maximumLifetime else { throw .lifetimeTooLong }
        }
        return Date(timeIntervalSince1970: exp)
    }

    /// `iss` must equal the configured issuer exactly (no normalisation).
    func checkIssuer(_ claims: ClaimSet) throws(AuthError) -> String {
        guard let value = claims["iss"] else { throw .missingClaim("iss") }
        guard let tokenIssuer = value.string else { throw .invalidClaim("iss") }
        guard tokenIssuer == issuer else { throw .wrongIssuer }
        return tokenIssuer
    }

    /// `aud` (a string or an array of strings) must contain the configured audience.
    func checkAudience(_ claims: ClaimSet) throws(AuthError) {
        guard let audiences = try claims.strings("aud") else { throw .missingClaim("aud") }
        guard audiences.contains(audience) else { throw .wrongAudience }
    }

    func subject(_ claims: ClaimSet) throws(AuthError) -> String {
        let name = claimNames.subject
        guard let value = claims[name] else { throw .missingClaim(name) }
        guard let subject = value.string, !subject.isEmpty,
            subject.count <= Self.maximumSubjectLength,
            !subject.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .invalidClaim(name) }
        return subject
    }

    /// The role claim is a role name, or an array holding exactly one known role
    /// name (other entries, e.g. roles for other systems, are ignored).
    func role(_ claims: ClaimSet) throws(AuthError) -> StaffRole {
        let name = claimNames.role
        guard let values = try claims.strings(name) else { throw .missingClaim(name) }
        let roles = Set(values.compactMap(StaffRole.init(rawValue:)))
        guard roles.count == 1, let role = roles.first else { throw .invalidClaim(name) }
        return role
    }

    /// Team ids (a UUID string or an array of them). Required and non-empty for
    /// nurses and clinicians; optional for auditors and admins. Any entry that is
    /// not a UUID makes the claim invalid rather than being dropped.
    func teams(_ claims: ClaimSet, role: StaffRole) throws(AuthError) -> [UUID] {
        let name = claimNames.teams
        let values = try claims.strings(name) ?? []
        var teams: [UUID] = []
        for value in values {
            guard let team = UUID(uuidString: value) else { throw .invalidClaim(name) }
            if !teams.contains(team) { teams.append(team) }
        }
        if role.requiresTeams, teams.isEmpty { throw .missingClaim(name) }
        return teams
    }
}
