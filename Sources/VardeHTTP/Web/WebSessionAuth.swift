import Foundation
import HTTPTypes
import Hummingbird
import VardeAuth
import VardeStore

/// Finds the web session a request's cookie names, slides its idle time, and
/// checks the CSRF token of a state-changing request. Used by `AuthMiddleware`
/// (the API called from the app's pages) and by the app's own routes.
struct WebSessionAuth: Sendable {
    let store: WebSessionStore
    let idle: TimeInterval

    /// The cookie's session, if it is still going (its idle time starts again).
    func current(_ request: Request, now: Date) async throws -> (idHash: String, session: WebSession)? {
        guard let id = WebCookies.value(WebCookies.session, in: request) else { return nil }
        let idHash = PKCE.hash(id)
        return try await store.touch(idHash: idHash, now: now, idle: idle).map { (idHash, $0) }
    }

    /// The caller a session speaks for; nil for a role the app does not serve.
    static func caller(_ session: WebSession) -> Caller? {
        guard let role = Caller.Role(rawValue: session.role), role == .nurse || role == .clinician else { return nil }
        return Caller(subject: session.subject, role: role, teams: session.teams)
    }

    /// Safe methods change nothing; everything else must carry the session's
    /// token in `X-CSRF-Token` (a page of another site cannot read it, so it
    /// cannot send it), else 403.
    static func checkCSRF(_ request: Request, _ session: WebSession, form: String? = nil) throws {
        guard ![.get, .head, .options].contains(request.method) else { return }
        let sent = request.headers[.csrfToken] ?? form ?? ""
        guard PKCE.constantTimeEquals(sent, session.csrfToken) else {
            throw Problem(
                .forbidden, type: "csrf", title: "Forbidden",
                detail: "a change made with a web session must carry the session's X-CSRF-Token")
        }
    }
}

extension HTTPField.Name {
    static let csrfToken = Self("X-CSRF-Token")!
}
