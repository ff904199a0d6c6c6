import Foundation
import VardeCore

extension ReadSession {
    /// A usable (unrevoked) gateway key: its gateway and the SHA-256 of its secret.
    public func gatewayKey(_ keyID: String) throws -> GatewayKeyCache.Key? {
        let r = try connection.query("SELECT gateway_id, hash FROM gateway_keys WHERE key_id = $1 AND revoked_at IS NULL", [keyID])
        guard r.rowCount == 1 else { return nil }
        return GatewayKeyCache.Key(gateway: try r.requireUUID(0, 0), hash: try r.requireString(0, 1))
    }
}
