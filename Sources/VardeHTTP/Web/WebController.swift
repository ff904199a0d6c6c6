import Foundation
import HTTPTypes
import Hummingbird
import VardeAuth
import VardeStore

/// The web app's routes, outside the API's role table (they hold no patient
/// data of their own: the pages call the API like any client): the pages,
/// their static files, who is signed in, sign-in and sign-out.
struct WebController {
    let services: AppServices
    let web: WebApp

    /// The app's pages (each needs a session), and the rest. (Hummingbird
    /// matches `/app` and `/app/` alike.)
    static let pages = ["/app/": "index.html", "/app/alerts": "alerts.html"]

    func register(with router: Router<AppContext>) {
        for (path, file) in Self.pages {
            router.get(RouterPath(path)) { request, _ in try await page(file, request) }
        }
        router.get("/app/patients/{patientId}") { request, context in
            _ = try context.parameters.uuid("patientId")
            return try await page("patient.html", request)
        }
        router.get("/app/assets/{file}") { request, context in
            try web.assets.asset(try context.parameters.require("file"), request: request)
        }
        router.get("/app/signed-out") { _, _ in try web.assets.page("signed-out.html", development: web.development) }
        router.get("/app/session") { request, _ in try await session(request) }
        router.post("/app/logout") { request, context in try await logout(request, context) }
        router.get("/app/login") { request, context in
            // A flood of sign-in starts from one address is slowed to one a
            // second past the limit, as failed credentials are.
            let source = AuthMiddleware.source(request, context, trustForwardedFor: services.configuration.trustForwardedFor)
            if let wait = services.signInStarts.blocked(source) {
                var response = WebPages.message(WebPages.tooManySignIns, status: .tooManyRequests)
                response.headers[.retryAfter] = String(wait)
                return response
            }
            services.signInStarts.failed(source)
            return try await login(request)
        }
        router.get("/app/callback") { request, context in
            guard case .oidc(let oidc) = web.signIn else { throw Problem.notFound("page") }
            return try await oidc.callback(request, context: context, web: web, services: services)
        }
        router.get("/app/dev-login") { _, _ in
            guard web.development else { throw Problem.notFound("page") }
            return try web.assets.page("dev-login.html", development: true)
        }
        router.get("/app/dev/teams") { _, _ in
            guard web.development else { throw Problem.notFound("page") }
            return try await DevSignIn().teams(services)
        }
        router.post("/app/dev-login") { request, context in
            guard web.development else { throw Problem.notFound("page") }
            return try await DevSignIn().post(request, context: context, web: web, services: services)
        }
    }

    /// Every route above, for `MethodNotAllowedMiddleware`.
    static let paths: [(String, String)] =
        pages.keys.map { ("GET", $0) } + [
            ("GET", "/app/patients/{patientId}"), ("GET", "/app/assets/{file}"), ("GET", "/app/signed-out"),
            ("GET", "/app/session"), ("POST", "/app/logout"), ("GET", "/app/login"), ("GET", "/app/callback"),
            ("GET", "/app/dev-login"), ("POST", "/app/dev-login"), ("GET", "/app/dev/teams"),
        ]

    /// A page for a signed-in nurse or clinician; anyone else is sent to sign in first.
    private func page(_ file: String, _ request: Request) async throws -> Response {
        guard let (_, session) = try await web.auth.current(request, now: services.now), WebSessionAuth.caller(session) != nil else {
            let back = WebApp.returnPath(request.uri.path)
            let query = back == "/app/" ? "" : "?return=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            return Response(status: .found, headers: [.location: "/app/login" + query])
        }
        return try web.assets.page(file, development: web.development)
    }

    private func login(_ request: Request) async throws -> Response {
        switch web.signIn {
        case .oidc(let oidc): return try await oidc.login(request, web: web, now: services.now)
        case .development:
            let back = WebApp.returnPath(request.uri.queryParameters.get("return"))
            return Response(
                status: .found,
                headers: [.location: "/app/dev-login?return=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")])
        case .unavailable: return WebPages.message(WebPages.notConfigured, status: .serviceUnavailable)
        }
    }

    struct SessionBody: Encodable {
        struct Team: Encodable {
            var id: UUID
            var name: String
            var kind: String
        }
        var subject: String
        var name: String
        var role: String
        var teams: [Team]
        var csrfToken: String
        var development: Bool
        var expiresAt: Date
        var idleSeconds: Int
    }

    /// Who is signed in, their teams by name, and the CSRF token the pages send back.
    private func session(_ request: Request) async throws -> Response {
        guard let (_, s) = try await web.auth.current(request, now: services.now) else {
            throw AuthMiddleware.unauthorized("no session: sign in at /app/login", error: nil)
        }
        let teams = try await services.database.read { r in try s.teams.compactMap { try r.team($0) } }
        return try JSONResponse.make(
            SessionBody(
                subject: s.subject, name: s.displayName, role: s.role,
                teams: teams.map { SessionBody.Team(id: $0.id, name: $0.name, kind: $0.kind) }, csrfToken: s.csrfToken,
                development: s.development, expiresAt: s.expiresAt, idleSeconds: Int(web.auth.idle)))
    }

    /// Ends the session (with its CSRF token), logs it, forgets the cookie,
    /// and answers where the browser goes next: the provider's end-session
    /// endpoint, which returns to `/app/signed-out`. An answer, not a
    /// redirect: `form-action 'self'` would stop a form's redirect to the provider.
    private func logout(_ request: Request, _ context: AppContext) async throws -> Response {
        if let (idHash, session) = try await web.auth.current(request, now: services.now) {
            try WebSessionAuth.checkCSRF(request, session)
            _ = try await web.auth.store.end(idHash: idHash, now: services.now)
            let entry = WebApp.accessEntry(
                "webSignOut", subject: session.subject, role: session.role, teams: session.teams, request: request, context: context)
            try await services.database.read { try $0.logAccess([entry]) }
        }
        var next = "/app/signed-out"
        if case .oidc(let oidc) = web.signIn, let url = oidc.endSessionURL() { next = url }
        return try JSONResponse.make(["redirect": next], headers: [.setCookie: WebCookies.cleared(WebCookies.session)])
    }

    /// A form posted from a page of this server. Browsers say where a POST
    /// comes from in `Origin`, which must name the host the request came to;
    /// but under `Referrer-Policy: no-referrer` (which the app's pages carry)
    /// a form's `Origin` is `null`, and then `Sec-Fetch-Site: same-origin`
    /// (set by the browser, never by a page) must say so. The sign-in form
    /// has no session yet, so no CSRF token to carry.
    static func requireSameOrigin(_ request: Request) throws {
        let origin = request.headers[.origin]
        let authority = request.head.authority ?? ""
        let sameHost = !authority.isEmpty && (origin == "http://" + authority || origin == "https://" + authority)
        let sameSite = (origin == nil || origin == "null") && request.headers[.secFetchSite] == "same-origin"
        guard sameHost || sameSite else {
            throw Problem(.forbidden, type: "forbidden", title: "Forbidden", detail: "a form of this app must be posted from its own pages")
        }
    }
}

extension HTTPField.Name {
    static let secFetchSite = Self("Sec-Fetch-Site")!
}
