import Foundation

/// Events of the team and gateway streams, with the same codec as patient events.
public enum AdminEvent: Equatable, Sendable {
    case teamCreated(TeamCreated)
    case gatewayRegistered(GatewayRegistered)
    case gatewayKeyIssued(GatewayKeyIssued)
    case gatewayKeyRevoked(GatewayKeyRevoked)
    case gatewayTeamsAssigned(GatewayTeamsAssigned)

    public var body: any PatientEventBody {
        switch self {
        case .teamCreated(let e): e
        case .gatewayRegistered(let e): e
        case .gatewayKeyIssued(let e): e
        case .gatewayKeyRevoked(let e): e
        case .gatewayTeamsAssigned(let e): e
        }
    }

    public var type: String { Swift.type(of: body).type }
    public var schemaVersion: Int { Swift.type(of: body).schemaVersion }

    public static let allTypes = [
        TeamCreated.type, GatewayRegistered.type, GatewayKeyIssued.type, GatewayKeyRevoked.type, GatewayTeamsAssigned.type,
    ]

    public func encode() -> Data {
        switch self {
        case .teamCreated(let e): try! EventJSON.encoder.encode(e)
        case .gatewayRegistered(let e): try! EventJSON.encoder.encode(e)
        case .gatewayKeyIssued(let e): try! EventJSON.encoder.encode(e)
        case .gatewayKeyRevoked(let e): try! EventJSON.encoder.encode(e)
        case .gatewayTeamsAssigned(let e): try! EventJSON.encoder.encode(e)
        }
    }

    public static func decode(type: String, schemaVersion: Int, data: Data) throws(DomainError) -> AdminEvent {
        func body<T: PatientEventBody>(_: T.Type) throws(DomainError) -> T {
            do { return try EventJSON.decoder.decode(T.self, from: data) } catch {
                throw .invalid(field: "/data", reason: "\(type) v\(schemaVersion) does not decode")
            }
        }
        switch type {
        case TeamCreated.type: return .teamCreated(try body(TeamCreated.self))
        case GatewayRegistered.type: return .gatewayRegistered(try body(GatewayRegistered.self))
        case GatewayKeyIssued.type: return .gatewayKeyIssued(try body(GatewayKeyIssued.self))
        case GatewayKeyRevoked.type: return .gatewayKeyRevoked(try body(GatewayKeyRevoked.self))
        case GatewayTeamsAssigned.type: return .gatewayTeamsAssigned(try body(GatewayTeamsAssigned.self))
        default: throw .invalid(field: "/type", reason: "unknown admin event type")
        }
    }
}
