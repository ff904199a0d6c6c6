import Foundation
import Hummingbird
import Logging
import VardeAuth
import VardeStore

/// The web app (`/app/`) as configured at start: its files, how people sign
/// in (OpenID Connect, the development page, or not at all), and its sessions.
public struct WebApp: Sendable {
    /// Sign-ins one client address may start a minute (then one a second).
    static let signInStartsPerMinute = 30

    enum SignIn: Sendable {
        case oidc(OIDCSignIn)
        /// `--dev-auth` without an identity provider: a page that picks role, team and name.
        case development
        case unavailable
    }

    let assets: WebAssets
    let signIn: SignIn
    let auth: WebSessionAuth
    let sessionMax: TimeInterval

    var development: Bool {
        if case .development = signIn { true } else { false }
    }

    /// Reads the files and checks the sign-in settings: a client id, key or
    /// public URL alone is an error naming what is missing; a key that cannot
    /// be read stops the start.
    static func make(_ c: Configuration, verifier: StaffVerifier?, database: Database, logger: Logger) throws -> WebApp {
        let assets = try WebAssets.bundled()
        let auth = WebSessionAuth(store: WebSessionStore(database: database), idle: c.sessionIdle)
        let signIn: SignIn
        if c.oidcClientID != nil || c.oidcClientKey != nil {
            guard let clientID = c.oidcClientID, let keyPath = c.oidcClientKey else {
                throw ConfigurationError("the web app's sign-in needs both --oidc-client-id and --oidc-client-key")
            }
            guard let publicURL = c.publicURL else {
                throw ConfigurationError("--oidc-client-id needs --public-url (VARDE_PUBLIC_URL): the redirect URI is built from it")
            }
            guard let provider = verifier?.provider else {
                throw ConfigurationError("--oidc-client-id needs --oidc-issuer (VARDE_OIDC_ISSUER): sign-in uses the provider's discovery")
            }
            guard c.oidcScopes.split(separator: " ").contains("openid") else {
                throw ConfigurationError("--oidc-scopes (VARDE_OIDC_SCOPES) must include openid")
            }
            let key: ClientKey
            do {
                key = try ClientKey.load(path: keyPath)
            } catch {
                throw ConfigurationError("--oidc-client-key: \(error)")
            }
            signIn = .oidc(
                OIDCSignIn(
                    provider: provider, clientID: clientID, key: key, redirectURI: publicURL + "/app/callback",
                    signedOutURI: publicURL + "/app/signed-out", scopes: c.oidcScopes))
            logger.info("web app sign-in through the identity provider", metadata: ["client": "\(clientID)", "key": "\(key.keyID)"])
        } else if c.devAuth, c.oidcIssuer == nil, c.jwksFile == nil {
            signIn = .development
        } else {
            signIn = .unavailable
        }
        return WebApp(assets: assets, signIn: signIn, auth: auth, sessionMax: c.sessionMax)
    }

    /// Starts a session and returns the cookie's random value (only its hash is stored).
    func startSession(
        subject: String, role: String, teams: [UUID], name: String, development: Bool, now: Date
    ) async throws -> String {
        let id = PKCE.randomToken()
        try await auth.store.create(
            idHash: PKCE.hash(id),
            WebSession(
                subject: subject, role: role, teams: teams, displayName: name, csrfToken: PKCE.randomToken(), development: development,
                createdAt: now, lastSeen: now, expiresAt: now.addingTimeInterval(sessionMax)))
        return id
    }

    /// Where to go after sign-in: a path of the app, or the worklist. Never
    /// another host (`//evil`, `/\evil`) and never a control character.
    static func returnPath(_ text: String?) -> String {
        guard let text, text.hasPrefix("/app/"), text.count <= 512, !text.contains("//"), !text.contains("\\"),
            text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return "/app/" }
        return text
    }

    /// The access-log entry of a sign-in or sign-out (no patient).
    static func accessEntry(
        _ action: String, subject: String, role: String, teams: [UUID], request: Request, context: AppContext,
        outcome: AccessOutcome = .allowed
    ) -> AccessEntry {
        AccessEntry(
            requestID: context.id, subject: subject, role: role, teams: teams, patientID: nil, action: action,
            route: "\(request.method.rawValue) \(request.uri.path)", outcome: outcome)
    }
}
