-- Sessions of the web app (/app/) and the sign-ins under way. Kept here so
-- that any instance serves any session; not events, since a session is not a
-- clinical fact (sign-in and sign-out are written to the access log).
--
-- Neither table holds a usable secret: a session is found by the SHA-256 of
-- the random id in the browser's cookie, a pending sign-in by the SHA-256 of
-- the random value of the short-lived login cookie that binds it to the
-- browser that started it. No token from the identity provider is kept.
CREATE TABLE web_sessions (
    id_hash       text PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
    subject       text NOT NULL,
    role          text NOT NULL,
    teams         uuid[] NOT NULL,
    display_name  text NOT NULL,
    csrf_token    text NOT NULL,
    -- Made by the development sign-in page (--dev-auth), not the identity provider.
    development   boolean NOT NULL,
    created_at    timestamptz NOT NULL,
    last_seen     timestamptz NOT NULL,
    -- The absolute limit (--session-max); the idle limit slides with last_seen.
    expires_at    timestamptz NOT NULL,
    ended_at      timestamptz
);
CREATE INDEX web_sessions_expires_at ON web_sessions (expires_at);

-- One pending sign-in per browser: what the callback must find again.
-- Taken (deleted) by the first callback that presents the login cookie, so
-- a state, nonce or PKCE verifier is used once.
CREATE TABLE web_logins (
    browser_hash   text PRIMARY KEY CHECK (browser_hash ~ '^[0-9a-f]{64}$'),
    state          text NOT NULL,
    nonce          text NOT NULL,
    code_verifier  text NOT NULL,
    return_path    text NOT NULL,
    created_at     timestamptz NOT NULL
);
CREATE INDEX web_logins_created_at ON web_logins (created_at);
