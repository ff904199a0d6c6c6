/// The role a staff member acts in, taken from a verified token's role claim.
///
/// Gateways are not staff and authenticate with a `GatewayAPIKey` instead.
public enum StaffRole: String, Sendable, Hashable, CaseIterable, Codable {
    /// Member of one or more teams; follows up the patients of those teams.
    case nurse
    /// What a nurse may, plus enrolment, discharge, devices and thresholds.
    case clinician
    /// Reads history and the access log of every patient; changes nothing.
    case auditor
    /// Manages teams and gateways; reads no patient data.
    case admin

    /// Whether tokens for this role must name at least one team.
    public var requiresTeams: Bool {
        switch self {
        case .nurse, .clinician: true
        case .auditor, .admin: false
        }
    }
}
