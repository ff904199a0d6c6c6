import Foundation
import HTTPTypes
import Hummingbird
import VardeCore

/// `Idempotency-Key` on creating requests: the new resource's id is derived
/// from the caller and the key, so a retried request finds what the first one
/// created instead of creating it twice.
enum IdempotencyKey {
    static let namespace = DeterministicID.uuid5(namespace: DeterministicID.dnsNamespace, name: "idempotency.varde.no")

    /// A fresh id, or the one this caller's key always maps to.
    static func id(for request: Request, caller: Caller, scope: String) -> UUID {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!], !key.isEmpty, key.count <= 200 else { return UUID() }
        return DeterministicID.uuid5(namespace: namespace, name: "\(scope)|\(caller.subject)|\(key)")
    }
}
