import Foundation
import VardeAuth
import VardeCore
import VardeStore

/// Registering gateways and issuing or revoking their API keys; shared by the
/// admin endpoints and `varde gateway …`. Keys are shown once and stored only
/// as SHA-256 (they are 256-bit random, so a slow hash would add nothing).
public struct GatewayAdmin: Sendable {
    public let store: EventStore

    public init(store: EventStore) {
        self.store = store
    }

    public struct Issued: Sendable, Encodable {
        public var gatewayId: String
        public var keyId: String
        /// The key itself: shown once, never stored.
        public var apiKey: String
        /// The teams whose patients the gateway serves (on registration).
        public var teams: [UUID]? = nil
    }

    /// Registers a gateway with a first key, serving `teams`. Returns the key
    /// and the position written.
    public func register(
        id: UUID = UUID(), name: String, teams: [UUID] = [], metadata: EventMetadata, now: Date
    ) async throws -> (Issued, Int64) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else { throw DomainError.invalid(field: "/name", reason: "must be 1–200 characters") }
        guard TextRules.isSingleLine(trimmed) else {
            throw DomainError.invalid(field: "/name", reason: "must be one line without control characters")
        }
        let teams = try await checked(teams)
        let key = GatewayAPIKey.generate()
        var events: [AdminEvent] = [
            .gatewayRegistered(GatewayRegistered(gatewayId: id, name: trimmed)),
            .gatewayKeyIssued(GatewayKeyIssued(gatewayId: id, keyId: key.keyID, hash: key.hash, at: EventDate.normalized(now))),
        ]
        if !teams.isEmpty {
            events.append(.gatewayTeamsAssigned(GatewayTeamsAssigned(gatewayId: id, teams: teams, at: EventDate.normalized(now))))
        }
        let appended = try await store.append(to: StreamName.gateway(id), expected: .noStream, events.map { Self.envelope($0, metadata) })
        return (Issued(gatewayId: id.lowercasedText, keyId: key.keyID, apiKey: key.token, teams: teams), appended.last?.position ?? 0)
    }

    /// Sets the teams a gateway serves (replacing the earlier set). Takes
    /// effect on every instance at commit (its keys' cache entries are dropped).
    public func assignTeams(gateway id: UUID, teams: [UUID], metadata: EventMetadata, now: Date) async throws -> ([UUID], Int64) {
        let teams = try await checked(teams)
        let history = try await store.read(stream: StreamName.gateway(id))
        guard let last = history.last else { throw DomainError.notFound("gateway") }
        let event = AdminEvent.gatewayTeamsAssigned(GatewayTeamsAssigned(gatewayId: id, teams: teams, at: EventDate.normalized(now)))
        let appended = try await store.database.transaction { c in
            try c.append(
                [StreamAppend(stream: StreamName.gateway(id), expected: .exact(last.version), events: [Self.envelope(event, metadata)])],
                commit: true,
                preceding: PGConnection.Statement.gatewayTeams(id, teams))
        }
        return (teams, appended.last?.position ?? 0)
    }

    /// The teams, each existing once, in the order given; a missing one is
    /// a 422 at its index.
    private func checked(_ teams: [UUID]) async throws -> [UUID] {
        guard teams.count <= 100 else { throw DomainError.invalid(field: "/teams", reason: "at most 100 teams") }
        var unique: [UUID] = []
        for team in teams where !unique.contains(team) { unique.append(team) }
        let kinds = try await store.database.read { [unique] in try $0.teamKinds(unique) }
        if let missing = teams.firstIndex(where: { kinds[$0] == nil }) {
            throw DomainError.invalid(field: "/teams/\(missing)", reason: "no team with this id")
        }
        return unique
    }

    /// Issues another key for an existing gateway.
    public func issueKey(gateway id: UUID, metadata: EventMetadata, now: Date) async throws -> (Issued, Int64) {
        let history = try await store.read(stream: StreamName.gateway(id))
        guard !history.isEmpty else { throw DomainError.notFound("gateway") }
        let key = GatewayAPIKey.generate()
        let event = AdminEvent.gatewayKeyIssued(
            GatewayKeyIssued(gatewayId: id, keyId: key.keyID, hash: key.hash, at: EventDate.normalized(now)))
        let appended = try await store.append(
            to: StreamName.gateway(id), expected: .exact(history.last!.version), [Self.envelope(event, metadata)])
        return (Issued(gatewayId: id.lowercasedText, keyId: key.keyID, apiKey: key.token), appended.last?.position ?? 0)
    }

    /// Revokes a key. The revoking transaction marks the key revoked in
    /// `gateway_keys` itself and notifies every instance, so the key fails
    /// from the next request on, whatever the projector is doing.
    public func revokeKey(gateway id: UUID, keyID: String, metadata: EventMetadata, now: Date) async throws -> Int64 {
        let history = try await store.read(stream: StreamName.gateway(id))
        let events = try history.map { try AdminEvent.decode(type: $0.type, schemaVersion: $0.schemaVersion, data: $0.data) }
        let issued = events.contains { if case .gatewayKeyIssued(let k) = $0 { k.keyId == keyID } else { false } }
        guard issued else { throw DomainError.notFound("gateway key") }
        let revoked = events.contains { if case .gatewayKeyRevoked(let k) = $0 { k.keyId == keyID } else { false } }
        guard !revoked else { throw DomainError.conflict("the key is already revoked") }
        let at = EventDate.normalized(now)
        let event = AdminEvent.gatewayKeyRevoked(GatewayKeyRevoked(gatewayId: id, keyId: keyID, at: at))
        let appended = try await store.database.transaction { c in
            try c.append(
                [
                    StreamAppend(
                        stream: StreamName.gateway(id), expected: .exact(history.last!.version), events: [Self.envelope(event, metadata)])
                ],
                commit: true,
                preceding: PGConnection.Statement.keyRevoked(keyID, at: at))
        }
        return appended.last?.position ?? 0
    }

    static func envelope(_ event: AdminEvent, _ metadata: EventMetadata) -> NewEvent {
        NewEvent(id: UUID(), type: event.type, schemaVersion: event.schemaVersion, data: event.encode(), metadata: metadata)
    }
}
