import Foundation

/// A signed-in browser session of the web app, as `web_sessions` keeps it.
public struct WebSession: Sendable, Equatable {
    public var subject: String
    public var role: String
    public var teams: [UUID]
    public var displayName: String
    /// Sent back in `X-CSRF-Token` with every state-changing request.
    public var csrfToken: String
    /// Made by the development sign-in page, not the identity provider.
    public var development: Bool
    public var createdAt: Date
    public var lastSeen: Date
    /// The absolute end (sign-in plus `--session-max`).
    public var expiresAt: Date

    public init(
        subject: String, role: String, teams: [UUID], displayName: String, csrfToken: String, development: Bool, createdAt: Date,
        lastSeen: Date, expiresAt: Date
    ) {
        self.subject = subject
        self.role = role
        self.teams = teams
        self.displayName = displayName
        self.csrfToken = csrfToken
        self.development = development
        self.createdAt = createdAt
        self.lastSeen = lastSeen
        self.expiresAt = expiresAt
    }
}

/// A sign-in under way: what the callback must find again for the browser
/// that started it.
public struct PendingLogin: Sendable, Equatable {
    public var state: String
    public var nonce: String
    public var codeVerifier: String
    /// Where in the app to go once signed in (a path under `/app/`).
    public var returnPath: String
    public var createdAt: Date

    public init(state: String, nonce: String, codeVerifier: String, returnPath: String, createdAt: Date) {
        self.state = state
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.returnPath = returnPath
        self.createdAt = createdAt
    }
}
