import Foundation

/// A care team was created (stream `team-<id>`).
public struct TeamCreated: PatientEventBody {
    public static let type = "TeamCreated"
    public enum Kind: String, Codable, Sendable { case kommune, sykehus }

    public var teamId: UUID
    public var name: String
    public var kind: Kind
    /// Kommune teams: the 4-digit kommunenummer.
    public var kommunenummer: String?
    /// Sykehus teams: the health trust (helseforetak) it belongs to.
    public var healthTrust: String?

    public init(teamId: UUID, name: String, kind: Kind, kommunenummer: String?, healthTrust: String?) {
        self.teamId = teamId
        self.name = name
        self.kind = kind
        self.kommunenummer = kommunenummer
        self.healthTrust = healthTrust
    }
}

/// A device gateway was registered (stream `gateway-<id>`).
public struct GatewayRegistered: PatientEventBody {
    public static let type = "GatewayRegistered"
    public var gatewayId: UUID
    public var name: String

    public init(gatewayId: UUID, name: String) {
        self.gatewayId = gatewayId
        self.name = name
    }
}

/// An API key was issued to a gateway; only its SHA-256 is recorded.
public struct GatewayKeyIssued: PatientEventBody {
    public static let type = "GatewayKeyIssued"
    public var gatewayId: UUID
    public var keyId: String
    public var hash: String
    public var at: Date

    public init(gatewayId: UUID, keyId: String, hash: String, at: Date) {
        self.gatewayId = gatewayId
        self.keyId = keyId
        self.hash = hash
        self.at = at
    }
}

/// A gateway API key was revoked; it fails from the next request on.
public struct GatewayKeyRevoked: PatientEventBody {
    public static let type = "GatewayKeyRevoked"
    public var gatewayId: UUID
    public var keyId: String
    public var at: Date

    public init(gatewayId: UUID, keyId: String, at: Date) {
        self.gatewayId = gatewayId
        self.keyId = keyId
        self.at = at
    }
}

/// The teams whose patients a gateway serves (replacing the earlier set). A
/// gateway posts readings only for patients of these teams.
public struct GatewayTeamsAssigned: PatientEventBody {
    public static let type = "GatewayTeamsAssigned"
    public var gatewayId: UUID
    public var teams: [UUID]
    public var at: Date

    public init(gatewayId: UUID, teams: [UUID], at: Date) {
        self.gatewayId = gatewayId
        self.teams = teams
        self.at = at
    }
}
