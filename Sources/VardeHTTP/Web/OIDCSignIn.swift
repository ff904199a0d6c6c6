import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import VardeAuth
import VardeStore

/// Sign-in through the identity provider: the authorization code flow with
/// PKCE (S256), done by the server. The browser carries only the login
/// cookie there and back and the session cookie after; every token stays on
/// the server and none is stored.
///
/// - `login`: a fresh `state`, `nonce` and PKCE verifier, kept in
///   `web_logins` under the hash of a random login cookie; off to the
///   provider's authorization endpoint.
/// - `callback`: the login cookie's pending sign-in, taken once; `state`
///   (and `iss`, RFC 9207) must match; the code is exchanged with a
///   `private_key_jwt` client assertion and the verifier; the ID token is
///   checked (signature by the provider's keys, issuer, audience = client id,
///   expiry, nonce); who may do what comes from the access token, checked by
///   the same `StaffVerifier` as every API call, so the app and the API agree.
struct OIDCSignIn: Sendable {
    let provider: OIDCProvider
    let clientID: String
    let key: ClientKey
    let redirectURI: String
    let signedOutURI: String
    let scopes: String

    /// The provider's endpoints, read again if discovery has not succeeded yet.
    func metadata() async -> OIDCProvider.Metadata? {
        if let metadata = provider.metadata { return metadata }
        _ = try? await provider.refresh()
        return provider.metadata
    }

    func login(_ request: Request, web: WebApp, now: Date) async throws -> Response {
        guard let endpoint = await metadata()?.authorizationEndpoint else {
            return WebPages.message(WebPages.unavailable, status: .serviceUnavailable)
        }
        let browser = PKCE.randomToken()
        let pending = PendingLogin(
            state: PKCE.randomToken(), nonce: PKCE.randomToken(), codeVerifier: PKCE.randomToken(),
            returnPath: WebApp.returnPath(request.uri.queryParameters.get("return")), createdAt: now)
        guard
            let url = TokenEndpoint.authorizationURL(
                endpoint: endpoint, clientID: clientID, redirectURI: redirectURI, scope: scopes, state: pending.state, nonce: pending.nonce,
                verifier: pending.codeVerifier)
        else { return WebPages.message(WebPages.unavailable, status: .serviceUnavailable) }
        try await web.auth.store.begin(
            browserHash: PKCE.hash(browser), pending, loginsBefore: now.addingTimeInterval(-Double(WebCookies.loginLifetime)),
            sessionsBefore: now.addingTimeInterval(-86_400))
        return Response(status: .found, headers: [.location: url, .setCookie: WebCookies.loginCookie(browser)])
    }

    func callback(_ request: Request, context: AppContext, web: WebApp, services: AppServices) async throws -> Response {
        var response = try await exchange(request, context: context, web: web, services: services)
        response.headers.append(HTTPField(name: .setCookie, value: WebCookies.cleared(WebCookies.login)))
        return response
    }

    private func exchange(_ request: Request, context: AppContext, web: WebApp, services: AppServices) async throws -> Response {
        let now = services.now
        let query = request.uri.queryParameters
        guard let browser = WebCookies.value(WebCookies.login, in: request),
            let pending = try await web.auth.store.take(
                browserHash: PKCE.hash(browser), startedAfter: now.addingTimeInterval(-Double(WebCookies.loginLifetime)))
        else { return WebPages.message(WebPages.expired, status: .badRequest) }
        guard let state = query.get("state"), PKCE.constantTimeEquals(state, pending.state) else {
            context.logger.warning("sign-in refused: the state does not match the browser's sign-in")
            return WebPages.message(WebPages.wrongState, status: .badRequest)
        }
        if query.get("error") != nil { return WebPages.message(WebPages.cancelled, status: .badRequest) }
        if let issuer = query.get("iss"), issuer != provider.issuer {
            context.logger.warning("sign-in refused: the response names another issuer")
            return WebPages.message(WebPages.refused, status: .badRequest)
        }
        guard let code = query.get("code"), !code.isEmpty, code.count <= 2048 else {
            return WebPages.message(WebPages.refused, status: .badRequest)
        }
        guard let tokenURL = await metadata()?.tokenEndpoint else {
            return WebPages.message(WebPages.unavailable, status: .serviceUnavailable)
        }
        let tokens: TokenEndpoint.Tokens
        do {
            tokens = try await TokenEndpoint(url: tokenURL, clientID: clientID, key: key).exchange(
                code: code, verifier: pending.codeVerifier, redirectURI: redirectURI, http: .shared)
        } catch .refused(let status, let error) {
            context.logger.warning(
                "sign-in refused by the provider's token endpoint", metadata: ["status": "\(status)", "error": "\(error)"])
            return WebPages.message(WebPages.refused, status: .badRequest)
        } catch {
            context.logger.warning("sign-in failed: \(error)")
            return WebPages.message(WebPages.unavailable, status: .serviceUnavailable)
        }
        let person: IDTokenVerifier.Claims
        do {
            person = try await idToken(tokens.idToken, nonce: pending.nonce, now: now)
        } catch {
            context.logger.warning("sign-in refused: the ID token does not hold", metadata: ["reason": "\(error)"])
            return WebPages.message(WebPages.refused, status: .badRequest)
        }
        guard let verifier = services.verifier, let identity = try? await verifier.verify(tokens.accessToken, now: now),
            identity.subject == person.subject
        else {
            context.logger.warning("sign-in refused: the access token is not one this server accepts for the person signed in")
            return WebPages.message(WebPages.noAccess, status: .forbidden)
        }
        let role = identity.role.rawValue
        guard role == "nurse" || role == "clinician" else {
            let entry = WebApp.accessEntry(
                "webSignIn", subject: identity.subject, role: role, teams: identity.teams, request: request, context: context,
                outcome: .forbidden)
            try await services.database.read { try $0.logAccess([entry]) }
            return WebPages.message(WebPages.noAccess, status: .forbidden)
        }
        let entry = WebApp.accessEntry(
            "webSignIn", subject: identity.subject, role: role, teams: identity.teams, request: request, context: context)
        try await services.database.read { try $0.logAccess([entry]) }
        let session = try await web.startSession(
            subject: identity.subject, role: role, teams: identity.teams, name: person.name ?? identity.subject, development: false,
            now: now)
        var response = WebPages.continuing(to: pending.returnPath)
        response.headers[.setCookie] = WebCookies.sessionCookie(session)
        return response
    }

    /// The ID token checked against the provider's keys; a key not seen yet
    /// makes them be read anew once (the provider rotated), as for API tokens.
    private func idToken(_ token: String, nonce: String, now: Date) async throws(AuthError) -> IDTokenVerifier.Claims {
        let check = { (jwks: JWKS) throws(AuthError) in
            try IDTokenVerifier(jwks: jwks, issuer: provider.issuer, clientID: clientID).verify(token, nonce: nonce, now: now)
        }
        do {
            return try check(provider.jwks ?? JWKS(keys: []))
        } catch .unknownKey {
            guard await provider.refreshForUnknownKey(), let jwks = provider.jwks else { throw .unknownKey }
            return try check(jwks)
        }
    }

    /// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the
    /// provider's end-session endpoint, naming this client and where to come
    /// back to. No `id_token_hint`: the browser would see the token in the URL.
    func endSessionURL() -> String? {
        guard let endpoint = provider.metadata?.endSessionEndpoint, var url = URLComponents(string: endpoint) else { return nil }
        url.queryItems =
            (url.queryItems ?? []) + [
                URLQueryItem(name: "client_id", value: clientID), URLQueryItem(name: "post_logout_redirect_uri", value: signedOutURI),
            ]
        return url.string
    }
}
