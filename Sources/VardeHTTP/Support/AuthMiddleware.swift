import Foundation
import Hummingbird
import Metrics
import VardeAuth
import VardeCore
import VardeStore

/// Establishes `context.caller` from `Authorization: Bearer`: a gateway API key
/// (`vgk_…`, looked up by id, in `GatewayKeyCache` or else in `gateway_keys`,
/// compared by SHA-256 in constant time, refused once revoked) or a staff JWT checked by `JWTVerifier`.
/// Without a bearer credential, the web app's session cookie (the pages call
/// the same API), whose changes must carry its CSRF token. Failures are 401
/// with a `WWW-Authenticate` header. Open paths: health, readiness, OpenAPI, the FHIR CapabilityStatement,
/// and the web app's own routes (`/app/…`, which check sessions themselves).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let services: AppServices
    /// The web app's sessions (nil where the app is not served: route listings).
    let sessions: WebSessionAuth?

    static let openPaths: Set<String> = ["/healthz", "/readyz", "/openapi.yaml", "/fhir/metadata"]

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if Self.openPaths.contains(path) || path == "/app" || path.hasPrefix("/app/") { return try await next(request, context) }
        let source = self.source(request, context)
        var context = context
        guard let token = BearerToken.extract(from: request.headers[.authorization]) else {
            if let sessions, WebCookies.value(WebCookies.session, in: request) != nil {
                context.caller = try await webSession(request, sessions)
                context.logger[metadataKey: "role"] = "\(context.caller!.role.rawValue)"
                return try await next(request, context)
            }
            // No credentials cost nothing to refuse; only guesses are counted.
            throw Self.unauthorized("missing bearer credentials", error: nil)
        }
        do {
            context.caller = try await token.hasPrefix("vgk_") ? gateway(token, source: source) : await staff(token)
        } catch let problem as Problem where problem.status == .unauthorized {
            Counter(
                label: "varde_auth_failures_total", dimensions: [("credential", token.hasPrefix("vgk_") ? "gateway_key" : "staff_token")]
            )
            .increment()
            services.authFailures.failed(source)
            if let wait = services.authFailures.blocked(source) { throw Self.tooManyFailures(wait) }
            throw problem
        }
        context.logger[metadataKey: "role"] = "\(context.caller!.role.rawValue)"
        return try await next(request, context)
    }

    /// The caller of a web session (a random 256-bit id: guesses are not
    /// counted as failed sign-ins, and a page whose session just ended must
    /// not lock out its address). 401 once it has ended or expired.
    private func webSession(_ request: Request, _ sessions: WebSessionAuth) async throws -> Caller {
        guard let (_, session) = try await sessions.current(request, now: services.now), let caller = WebSessionAuth.caller(session)
        else { throw Self.unauthorized("the session has ended: sign in again", error: "invalid_token") }
        try WebSessionAuth.checkCSRF(request, session)
        return caller
    }

    /// The client's address: the peer's, or behind a trusted proxy the last
    /// address it added to `X-Forwarded-For` (`VARDE_TRUST_FORWARDED_FOR`).
    func source(_ request: Request, _ context: AppContext) -> String {
        Self.source(request, context, trustForwardedFor: services.configuration.trustForwardedFor)
    }

    static func source(_ request: Request, _ context: AppContext, trustForwardedFor: Bool) -> String {
        if trustForwardedFor, let forwarded = request.headers[.xForwardedFor] {
            if let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty { return last }
        }
        return context.peer ?? "unknown"
    }

    private func staff(_ token: String) async throws -> Caller {
        guard let verifier = services.verifier else {
            throw Self.unauthorized("no identity provider is configured", error: "invalid_token")
        }
        do {
            let identity = try await verifier.verify(token, now: services.now)
            return Caller(subject: identity.subject, role: Self.role(identity.role), teams: identity.teams)
        } catch {
            throw Self.unauthorized(error.description, error: "invalid_token")
        }
    }

    static func tooManyFailures(_ seconds: Int) -> Problem {
        Problem(
            .tooManyRequests, type: "too-many-failures", title: "Too many requests",
            detail: "too many failed sign-ins from this address; try again later", headers: [.retryAfter: "\(seconds)"])
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

    /// A gateway key: from the cache, else (unless the key id is known to be
    /// unknown, or the source is refused for its failures) from `gateway_keys`.
    private func gateway(_ token: String, source: String) async throws -> Caller {
        guard let (keyID, hash) = GatewayAPIKey.parse(token) else {
            throw Self.unauthorized("malformed API key", error: "invalid_token")
        }
        let cache = services.gatewayKeys
        var known = cache.lookup(keyID)
        if known == nil {
            if cache.isUnknown(keyID) { throw Self.unauthorized("unknown or revoked API key", error: "invalid_token") }
            if let wait = services.authFailures.blocked(source) { throw Self.tooManyFailures(wait) }
            let generation = cache.generation
            known = try await services.database.read { try $0.gatewayKey(keyID) }
            if let known { cache.store(keyID, known, readAt: generation) } else { cache.storeUnknown(keyID, readAt: generation) }
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
