import Foundation

/// The web app's sessions and pending sign-ins in PostgreSQL, so that any
/// instance serves any browser. Keys are the SHA-256 (hex) of the cookies'
/// random values; the cookies themselves are never stored.
public struct WebSessionStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func create(idHash: String, _ s: WebSession) async throws {
        try await database.withConnection { c in
            _ = try c.query(
                """
                INSERT INTO web_sessions (id_hash, subject, role, teams, display_name, csrf_token, development, created_at, last_seen, expires_at)
                VALUES ($1, $2, $3, $4::uuid[], $5, $6, $7, $8, $9, $10)
                """,
                [
                    idHash, s.subject, s.role, PGArray.uuid(s.teams), s.displayName, s.csrfToken, s.development, s.createdAt, s.lastSeen,
                    s.expiresAt,
                ])
        }
    }

    /// The session, if it is neither ended, past its absolute end, nor idle
    /// for `idle` seconds; its idle time starts again at `now` (one statement:
    /// two instances sliding the same session cannot revive an expired one).
    public func touch(idHash: String, now: Date, idle: TimeInterval) async throws -> WebSession? {
        try await database.withConnection { c in
            let r = try c.query(
                """
                UPDATE web_sessions SET last_seen = greatest(last_seen, $2)
                WHERE id_hash = $1 AND ended_at IS NULL AND expires_at > $2 AND last_seen > $2::timestamptz - $3::float8 * interval '1 second'
                RETURNING
                """ + " " + Self.columns, [idHash, now, idle])
            return r.rowCount == 1 ? try Self.session(r, 0) : nil
        }
    }

    /// Ends the session (sign-out); returns it if it was still going.
    public func end(idHash: String, now: Date) async throws -> WebSession? {
        try await database.withConnection { c in
            let r = try c.query(
                "UPDATE web_sessions SET ended_at = $2 WHERE id_hash = $1 AND ended_at IS NULL RETURNING " + Self.columns, [idHash, now])
            return r.rowCount == 1 ? try Self.session(r, 0) : nil
        }
    }

    /// Starts a sign-in for the browser whose login cookie hashes to
    /// `browserHash` (a second start in the same browser replaces the first),
    /// and forgets sign-ins begun before `loginsBefore` (past their lifetime:
    /// no callback can take them) and sessions that ended before `sessionsBefore`.
    public func begin(browserHash: String, _ login: PendingLogin, loginsBefore: Date, sessionsBefore: Date) async throws {
        try await database.withConnection { c in
            _ = try c.query(
                """
                INSERT INTO web_logins (browser_hash, state, nonce, code_verifier, return_path, created_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (browser_hash) DO UPDATE SET state = excluded.state, nonce = excluded.nonce,
                    code_verifier = excluded.code_verifier, return_path = excluded.return_path, created_at = excluded.created_at
                """, [browserHash, login.state, login.nonce, login.codeVerifier, login.returnPath, login.createdAt])
            _ = try c.query("DELETE FROM web_logins WHERE created_at < $1", [loginsBefore])
            _ = try c.query("DELETE FROM web_sessions WHERE expires_at < $1", [sessionsBefore])
        }
    }

    /// Takes the browser's pending sign-in: it is deleted whatever happens
    /// next, so a callback can be answered once. Nil if there is none, or it
    /// began before `startedAfter`.
    public func take(browserHash: String, startedAfter: Date) async throws -> PendingLogin? {
        try await database.withConnection { c in
            let r = try c.query(
                """
                DELETE FROM web_logins WHERE browser_hash = $1
                RETURNING state, nonce, code_verifier, return_path, (extract(epoch FROM created_at) * 1000000)::bigint
                """, [browserHash])
            guard r.rowCount == 1 else { return nil }
            let login = PendingLogin(
                state: try r.requireString(0, 0), nonce: try r.requireString(0, 1), codeVerifier: try r.requireString(0, 2),
                returnPath: try r.requireString(0, 3), createdAt: try r.requireMicros(0, 4))
            return login.createdAt > startedAfter ? login : nil
        }
    }

    private static let columns = """
        subject, role, array_to_json(teams)::text, display_name, csrf_token, development,
        (extract(epoch FROM created_at) * 1000000)::bigint, (extract(epoch FROM last_seen) * 1000000)::bigint,
        (extract(epoch FROM expires_at) * 1000000)::bigint
        """

    private static func session(_ r: PGResult, _ row: Int) throws -> WebSession {
        WebSession(
            subject: try r.requireString(row, 0), role: try r.requireString(row, 1), teams: try r.requireJSON([UUID].self, row, 2),
            displayName: try r.requireString(row, 3), csrfToken: try r.requireString(row, 4), development: try r.requireBool(row, 5),
            createdAt: try r.requireMicros(row, 6), lastSeen: try r.requireMicros(row, 7), expiresAt: try r.requireMicros(row, 8))
    }
}
