import Foundation
import VardeCore

extension ReadSession {
    /// A usable (unrevoked) gateway key: its gateway, the SHA-256 of its
    /// secret, and the teams the gateway serves.
    public func gatewayKey(_ keyID: String) throws -> GatewayKeyCache.Key? {
        let r = try connection.query(
            """
            SELECT k.gateway_id, k.hash, array_to_json(coalesce(g.teams, '{}'))::text
            FROM gateway_keys k LEFT JOIN gateways g ON g.id = k.gateway_id
            WHERE k.key_id = $1 AND k.revoked_at IS NULL
            """, [keyID])
        guard r.rowCount == 1 else { return nil }
        return GatewayKeyCache.Key(
            gateway: try r.requireUUID(0, 0), hash: try r.requireString(0, 1), teams: try r.requireJSON([UUID].self, 0, 2))
    }
}
