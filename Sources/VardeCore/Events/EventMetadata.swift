import Foundation

/// Who caused an event and why: stored in the `metadata` column beside every event.
/// Never holds a national identifier.
public struct EventMetadata: Codable, Equatable, Sendable {
    /// The subject of the caller's credential (staff `sub`, gateway id, or `system`).
    public var actor: String
    /// `gateway`, `nurse`, `clinician`, `auditor`, `admin` or `system`.
    public var role: String
    /// The team the actor acted for, when the action was team-scoped.
    public var team: UUID?
    public var gateway: UUID?
    public var device: String?
    public var requestID: String?
    public var correlationID: UUID?
    public var causationID: UUID?
    /// The W3C `traceparent` of the request that caused the event, when it sent one.
    public var traceparent: String?

    public init(
        actor: String, role: String, team: UUID? = nil, gateway: UUID? = nil, device: String? = nil,
        requestID: String? = nil, correlationID: UUID? = nil, causationID: UUID? = nil, traceparent: String? = nil
    ) {
        self.traceparent = traceparent
        self.actor = actor
        self.role = role
        self.team = team
        self.gateway = gateway
        self.device = device
        self.requestID = requestID
        self.correlationID = correlationID
        self.causationID = causationID
    }

    public static let system = EventMetadata(actor: "system", role: "system")
}
