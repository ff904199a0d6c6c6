import Foundation
import VardeCore

/// What a gateway's change writes beside its event, in the same transaction,
/// so that every instance sees it at once (not only after projection): the
/// row changed and a notice that empties the instances' key caches.
extension PGConnection.Statement {
    public static func gatewayTeams(_ id: UUID, _ teams: [UUID]) -> [PGConnection.Statement] {
        [.init("UPDATE gateways SET teams = $2::uuid[] WHERE id = $1", [id, PGArray.uuid(teams)]), keysChanged]
    }

    public static func keyRevoked(_ keyID: String, at: Date) -> [PGConnection.Statement] {
        [.init("UPDATE gateway_keys SET revoked_at = $2 WHERE key_id = $1", [keyID, EventDate.format(at)]), keysChanged]
    }

    static let keysChanged = PGConnection.Statement("SELECT pg_notify('varde_gateway_keys', current_schema())")
}
