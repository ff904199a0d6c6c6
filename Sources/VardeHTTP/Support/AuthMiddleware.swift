import Foundation
import Hummingbird
import VardeAuth
import VardeCore
import VardeStore

/// Establishes `context.caller` from `Authorization: Bearer`: a gateway API key
/// (`vgk_…`, looked up by id, in `GatewayKeyCache` or else in `gateway_keys`,
/// compared by SHA-256 in constant time, refused once revoked) or a staff JWT checked by `JWTVerifier`. Failures are 401
/// with a `WWW-Authenticate` header. Open paths: health, readiness, OpenAPI, the FHIR CapabilityStatement.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let services: AppServices

    static let openPaths: Set<String> = ["/healthz", "/readyz", "/openapi.yaml", "/fhir/metadata"]

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let token = BearerToken.extract(from: request.headers[.authorization]) else {
            throw Self.unauthorized("missing bearer credentials", error: nil)
        }
        var context = context
        if token.hasPrefix("vgk_") {
            context.caller = try await gateway(token)
        } else {
            guard let verifier = services.verifier else {
                throw Self.unauthorized("no identity provider is configured", error: "invalid_token")
            }
            do {
                let identity = try verifier.verify(token, now: services.now)
                context.caller = Caller(
                    subject: identity.subject, role: Self.role(identity.role),
                    teams: identity.teams)
            } catch {
                throw Self.unauthorized(error.description, error: "invalid_token")
            }
        }
        context.logger[metadataKey: "role"] = "\(context.caller!.role.rawValue)"
        return try await next(request, context)
    }

    /// Exhaustive, so a new staff role cannot silently fall into another's rights.
    private static func role(_ staff: StaffRole) -> Caller.Role {
        switch staff {
        case .nurse: .nurse
        case .clinician: .clinician
        case .auditor: .auditor
        case .admin: .admin
        }
    }

    private func gateway(_ token: String) async throws -> Caller {
        guard let (keyID, hash) = GatewayAPIKey.parse(token) else {
            throw Self.unauthorized("malformed API key", error: "invalid_token")
        }
        let cache = services.gatewayKeys
        var known = cache.lookup(keyID)
        if known == nil {
            let generation = cache.generation
            known = try await services.database.read { try $0.gatewayKey(keyID) }
            if let known { cache.store(keyID, known, readAt: generation) }
        }
        guard let known, GatewayAPIKey.constantTimeEquals(known.hash, hash) else {
            throw Self.unauthorized("unknown or revoked API key", error: "invalid_token")
        }
        return Caller(subject: "gateway:\(known.gateway.lowercasedText)", role: .gateway, teams: known.teams, gatewayID: known.gateway)
    }

    static func unauthorized(_ description: String, error: String?) -> Problem {
        var challenge = #"Bearer realm="varde""#
        if let error {
            let safe = description.replacingOccurrences(of: "\"", with: "'")
            challenge += #", error="\#(error)", error_description="\#(safe)""#
        }
        return Problem(
            .unauthorized, type: "unauthorized", title: "Unauthorized", detail: description,
            headers: [.wwwAuthenticate: challenge])
    }
}
