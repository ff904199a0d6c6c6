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
    }

    /// Registers a gateway with a first key. Returns the key and the position written.
    public func register(id: UUID = UUID(), name: String, metadata: EventMetadata, now: Date) async throws -> (Issued, Int64) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else { throw DomainError.invalid(field: "/name", reason: "must be 1–200 characters") }
        let key = GatewayAPIKey.generate()
        let events: [AdminEvent] = [
            .gatewayRegistered(GatewayRegistered(gatewayId: id, name: trimmed)),
            .gatewayKeyIssued(GatewayKeyIssued(gatewayId: id, keyId: key.keyID, hash: key.hash, at: EventDate.normalized(now))),
        ]
        let appended = try await store.append(to: StreamName.gateway(id), expected: .noStream, events.map { Self.envelope($0, metadata) })
        return (Issued(gatewayId: id.lowercasedText, keyId: key.keyID, apiKey: key.token), appended.last?.position ?? 0)
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

    /// Revokes a key; it fails from the moment the projector has applied this.
    public func revokeKey(gateway id: UUID, keyID: String, metadata: EventMetadata, now: Date) async throws -> Int64 {
        let history = try await store.read(stream: StreamName.gateway(id))
        let events = try history.map { try AdminEvent.decode(type: $0.type, schemaVersion: $0.schemaVersion, data: $0.data) }
        let issued = events.contains { if case .gatewayKeyIssued(let k) = $0 { k.keyId == keyID } else { false } }
        guard issued else { throw DomainError.notFound("gateway key") }
        let revoked = events.contains { if case .gatewayKeyRevoked(let k) = $0 { k.keyId == keyID } else { false } }
        guard !revoked else { throw DomainError.conflict("the key is already revoked") }
        let event = AdminEvent.gatewayKeyRevoked(GatewayKeyRevoked(gatewayId: id, keyId: keyID, at: EventDate.normalized(now)))
        let appended = try await store.append(
            to: StreamName.gateway(id), expected: .exact(history.last!.version), [Self.envelope(event, metadata)])
        return appended.last?.position ?? 0
    }

    static func envelope(_ event: AdminEvent, _ metadata: EventMetadata) -> NewEvent {
        NewEvent(id: UUID(), type: event.type, schemaVersion: event.schemaVersion, data: event.encode(), metadata: metadata)
    }
}
