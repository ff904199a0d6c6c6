import Foundation

/// Who is making a request, as established by authentication.
public struct Caller: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable, Codable {
        case gateway, nurse, clinician, auditor, admin
    }

    /// Staff: the token's subject. Gateways: `gateway:<id>`.
    public var subject: String
    public var role: Role
    /// Teams the caller belongs to (nurses and clinicians), or serves (gateways).
    public var teams: [UUID]
    /// Set for gateways.
    public var gatewayID: UUID?

    public init(subject: String, role: Role, teams: [UUID] = [], gatewayID: UUID? = nil) {
        self.subject = subject
        self.role = role
        self.teams = teams
        self.gatewayID = gatewayID
    }
}
