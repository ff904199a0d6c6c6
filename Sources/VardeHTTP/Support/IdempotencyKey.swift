import Foundation
import HTTPTypes
import Hummingbird
import VardeCore

/// `Idempotency-Key` on creating requests: the new resource's id is derived
/// from the caller and the key, so a retried request finds what the first one
/// created instead of creating it twice.
enum IdempotencyKey {
    static let namespace = DeterministicID.uuid5(namespace: DeterministicID.dnsNamespace, name: "idempotency.varde.no")

    /// A fresh id, or the one this caller's key always maps to. A key that is
    /// empty, longer than 200 characters or holds a control character is a
    /// 400: ignoring it would silently make a retry create a second resource.
    static func id(for request: Request, caller: Caller, scope: String) throws -> UUID {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return UUID() }
        guard !key.isEmpty, key.count <= 200, TextRules.isSingleLine(key) else {
            throw Problem.badRequest("Idempotency-Key must be 1–200 characters without control characters")
        }
        return DeterministicID.uuid5(namespace: namespace, name: "\(scope)|\(caller.subject)|\(key)")
    }
}
