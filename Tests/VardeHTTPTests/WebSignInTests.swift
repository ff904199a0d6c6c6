import Foundation
import HTTPTypes
import Hummingbird
import Testing
import VardeHTTP

/// Issue 18: the web app's sign-in through the local OpenID Connect provider
/// (authorization code flow with PKCE, `private_key_jwt`, `state` and
/// `nonce`), its sessions in PostgreSQL, the CSRF token, expiry and sign-out.
@Suite("Web app: sign-in, sessions, CSRF", .serialized)
struct WebSignInTests {
    /// A kommune team with one enrolled patient and its bound oximeter, seeded with the provider's tokens.
    struct Ward: Sendable {
        var team: UUID
        var otherTeam: UUID
        var patient: UUID
        var gatewayKey: String
    }

    static func run(_ body: @escaping @Sendable (Client, OIDCTestProvider, Ward) async throws -> Void) async throws {
        let provider = try OIDCTestProvider.start()
        defer { provider.stop() }
        let setup = try await WebClientSetup.register(provider)
        defer { try? FileManager.default.removeItem(atPath: setup.keyPath) }
        try await TestApp.run(configure: {
            $0.devAuth = false
            $0.oidcIssuer = provider.issuer
            $0.jwtAudience = "varde-api"
            $0.publicURL = WebClientSetup.publicURL
            $0.oidcClientID = WebClientSetup.clientID
            $0.oidcClientKey = setup.keyPath
        }) { client in
            let admin = try await provider.token(role: "admin")
            let team = try await client.createTeam("kommune", admin: admin)
            let otherTeam = try await client.createTeam("kommune", admin: admin)
            let gateway = try await client.createGateway(admin: admin, teams: [team])
            let clinician = try await provider.token(role: "clinician", teams: [team], subject: "clinician-1")
            let patient = try await client.enroll(nationalID: World.nationalIDs[0], kommune: team, sykehus: nil, clinician: clinician)
            try await client.bind("OX-1", to: patient, clinician: clinician)
            try await WebClientSetup.user(provider, sub: "nurse-ola", name: "Ola Nordmann", role: "nurse", teams: [team])
            try await body(client, provider, Ward(team: team, otherTeam: otherTeam, patient: patient, gatewayKey: gateway.key))
        }
    }

    /// `/app/login` up to the provider's redirect back: the login answer and the callback URL.
    static func startSignIn(_ browser: WebBrowser, _ provider: OIDCTestProvider, as sub: String = "nurse-ola") async throws -> (
        login: Client.Reply, callback: String
    ) {
        let login = try await browser.request(.get, "/app/login?return=%2Fapp%2Falerts")
        try #require(login.status == .found, "\(login.status) \(login.text)")
        let authorize = try #require(login.headers[.location])
        try await provider.admin("/admin/next-login", ["sub": sub])
        let hop = try await ProviderHop.authorize(authorize)
        try #require(hop.status == 302, "provider: \(hop.status)")
        return (login, try #require(hop.location))
    }

    /// A whole sign-in; the browser then holds a session and its CSRF token.
    static func signIn(_ browser: WebBrowser, _ provider: OIDCTestProvider, as sub: String = "nurse-ola") async throws -> String {
        let (_, callback) = try await startSignIn(browser, provider, as: sub)
        let reply = try await browser.request(.get, ProviderHop.pathAndQuery(callback))
        try #require(reply.status == .ok && browser.session != nil, "callback: \(reply.status) \(reply.text)")
        _ = try await browser.loadSession()
        return callback
    }

    @Test("sign-in end to end: PKCE S256, state and nonce sent; a Strict HttpOnly session cookie; the API answers with it; logged")
    func happyPath() async throws {
        try await Self.run { client, provider, ward in
            let browser = WebBrowser(client)
            let (login, callback) = try await Self.startSignIn(browser, provider)
            let authorize = try #require(login.headers[.location])
            #expect(authorize.hasPrefix(provider.issuer + "/authorize?"))
            for name in ["state", "nonce", "code_challenge"] {
                #expect(ProviderHop.query(name, in: authorize)?.count ?? 0 >= 43, "\(name)")
            }
            #expect(ProviderHop.query("code_challenge_method", in: authorize) == "S256")
            #expect(ProviderHop.query("redirect_uri", in: authorize) == WebClientSetup.publicURL + "/app/callback")
            let loginCookie = try #require(login.headers[.setCookie])
            #expect(loginCookie.hasPrefix("__Host-varde_login="))
            for part in ["Path=/", "Secure", "HttpOnly", "SameSite=Lax", "Max-Age=600"] { #expect(loginCookie.contains(part), "\(part)") }
            #expect(!loginCookie.contains("Domain"))
            #expect(callback.hasPrefix(WebClientSetup.publicURL + "/app/callback?"))

            let reply = try await browser.request(.get, ProviderHop.pathAndQuery(callback))
            #expect(reply.status == .ok)
            #expect(reply.text.contains(#"content="0;url=/app/alerts""#), "on to where the sign-in started")
            let cookies = reply.headers[values: .setCookie]
            let session = try #require(cookies.first { $0.hasPrefix("__Host-varde_session=") })
            for part in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] { #expect(session.contains(part), "\(part)") }
            #expect(!session.contains("Domain") && !session.contains("Max-Age") && !session.contains("Expires"))
            #expect(cookies.contains { $0.hasPrefix("__Host-varde_login=;") && $0.contains("Max-Age=0") }, "the login cookie is forgotten")
            #expect(!reply.text.contains("eyJ"), "no token reaches the browser")

            let me = try await browser.loadSession()
            #expect(me["subject"] as? String == "nurse-ola")
            #expect(me["name"] as? String == "Ola Nordmann")
            #expect(me["role"] as? String == "nurse")
            #expect((me["teams"] as? [[String: Any]])?.map { ($0["id"] as? String)?.lowercased() } == [ward.team.uuidString.lowercased()])
            #expect(me["development"] as? Bool == false)
            #expect((browser.csrf?.count ?? 0) >= 43)

            #expect(try await browser.request(.get, "/v1/teams/\(ward.team)/patients").status == .ok, "the worklist, by the session")
            #expect(try await browser.request(.get, "/v1/patients/\(ward.patient)").status == .ok)
            let foreign = try await browser.request(.get, "/v1/teams/\(ward.otherTeam)/patients").status
            #expect(foreign == .forbidden || foreign == .notFound, "team scoping holds for sessions: \(foreign)")
            let logged = try await client.database.withConnection { c in
                try c.query(
                    "SELECT count(*) FROM access_log WHERE action = 'webSignIn' AND subject = 'nurse-ola' AND role = 'nurse'"
                ).int(0, 0)
            }
            #expect(logged == 1)
            let stored = try await client.database.withConnection { c in
                try c.query("SELECT count(*) FROM web_sessions WHERE id_hash = $1", [browser.session ?? ""]).int(0, 0)
            }
            #expect(stored == 0, "only the hash of the cookie is stored")
        }
    }

    @Test("a wrong state is refused with no session, and the sign-in it belonged to cannot be finished after")
    func wrongState() async throws {
        try await Self.run { client, provider, _ in
            let browser = WebBrowser(client)
            let (_, callback) = try await Self.startSignIn(browser, provider)
            let forged = ProviderHop.replacing("state", with: String(repeating: "A", count: 43), in: callback)
            let refused = try await browser.request(.get, ProviderHop.pathAndQuery(forged))
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("hørte ikke til denne nettleseren"))
            #expect(browser.session == nil)
            let again = try await browser.request(.get, ProviderHop.pathAndQuery(callback))
            #expect(again.status == .badRequest && browser.session == nil, "the pending sign-in is used up")
            #expect(try await provider.stats()["token"] == 0, "no code was exchanged")
        }
    }

    @Test("a replayed code is refused by the provider and makes no session; a callback without the login cookie neither")
    func replayedCode() async throws {
        try await Self.run { client, provider, _ in
            let first = WebBrowser(client)
            let used = try await Self.signIn(first, provider)
            // The same browser starts again; the old code comes with the new state.
            let attacker = WebBrowser(client)
            let (_, fresh) = try await Self.startSignIn(attacker, provider)
            let replay = ProviderHop.replacing("code", with: try #require(ProviderHop.query("code", in: used)), in: fresh)
            let refused = try await attacker.request(.get, ProviderHop.pathAndQuery(replay))
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("godtok ikke innloggingen"))
            #expect(attacker.session == nil)
            #expect(try await provider.stats()["token"] == 2, "the replay reached the token endpoint and was refused there")

            let stranger = WebBrowser(client)
            let noCookie = try await stranger.request(.get, ProviderHop.pathAndQuery(used))
            #expect(noCookie.status == .badRequest && stranger.session == nil)
        }
    }

    @Test("a session ends after the idle time and at its absolute limit; a request within the idle time slides it")
    func expiry() async throws {
        try await Self.run { client, provider, ward in
            let idle = WebBrowser(client)
            _ = try await Self.signIn(idle, provider)
            func age(_ sql: String) async throws {
                _ = try await client.database.withConnection { c in try c.query(sql) }
            }
            try await age("UPDATE web_sessions SET last_seen = now() - interval '29 minutes'")
            #expect(try await idle.request(.get, "/app/session").status == .ok, "29 minutes idle: still going")
            try await age(
                "UPDATE web_sessions SET last_seen = last_seen - interval '29 minutes' WHERE last_seen > now() - interval '1 minute'")
            #expect(try await idle.request(.get, "/v1/teams/\(ward.team)/patients").status == .ok, "slid by the last request")
            try await age("UPDATE web_sessions SET last_seen = now() - interval '31 minutes'")
            let expired = try await idle.request(.get, "/v1/teams/\(ward.team)/patients")
            #expect(expired.status == .unauthorized)
            #expect(expired.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            #expect(try await idle.request(.get, "/app/session").status == .unauthorized)
            let page = try await idle.request(.get, "/app/alerts")
            #expect(page.status == .found && page.headers[.location] == "/app/login?return=%2Fapp%2Falerts")

            let old = WebBrowser(client)
            _ = try await Self.signIn(old, provider)
            try await age("UPDATE web_sessions SET expires_at = now() - interval '1 second' WHERE last_seen > now() - interval '1 minute'")
            #expect(try await old.request(.get, "/app/session").status == .unauthorized, "past the absolute limit, though not idle")
            #expect(try await old.request(.get, "/v1/teams/\(ward.team)/patients").status == .unauthorized)
        }
    }

    @Test("a change by session needs its CSRF token: none or a wrong one is 403 and changes nothing, the right one works")
    func csrf() async throws {
        try await Self.run { client, provider, ward in
            let reply = try await client.request(
                .post, "/v1/readings", token: ward.gatewayKey, json: ["readings": [Client.item("r-1", "spo2", 95)]])
            let reading = try #require((reply.object["results"] as? [[String: Any]])?.first?["eventId"] as? String)
            try await client.settle()
            let browser = WebBrowser(client)
            _ = try await Self.signIn(browser, provider)
            let path = "/v1/readings/\(reading)/void"
            let missing = try await browser.request(.post, path, json: ["reason": "feil pasient"])
            #expect(missing.status == .forbidden)
            #expect(missing.object["type"] as? String == "https://varde.no/problems/csrf")
            let wrong = try await browser.request(.post, path, json: ["reason": "feil pasient"], csrf: String(repeating: "x", count: 43))
            #expect(wrong.status == .forbidden)
            let voidedBefore = try await client.database.withConnection { c in
                try c.query("SELECT count(*) FROM events WHERE type = 'ReadingVoided'").int(0, 0)
            }
            #expect(voidedBefore == 0)
            let right = try await browser.request(.post, path, json: ["reason": "feil pasient"], csrf: browser.csrf)
            #expect(right.status.code < 300, "\(right.status) \(right.text)")
            let logout = try await browser.request(.post, "/app/logout")
            #expect(logout.status == .forbidden, "sign-out also needs the token (no forced sign-out by another site)")
            #expect(try await browser.request(.get, "/app/session").status == .ok)
        }
    }

    @Test("sign-out ends the session at once, forgets the cookie and goes on to the provider's end-session endpoint")
    func logout() async throws {
        try await Self.run { client, provider, ward in
            let browser = WebBrowser(client)
            _ = try await Self.signIn(browser, provider)
            let kept = try #require(browser.session)
            let reply = try await browser.request(.post, "/app/logout", csrf: browser.csrf)
            #expect(reply.status == .ok)
            let next = try #require(reply.object["redirect"] as? String)
            #expect(next.hasPrefix(provider.issuer + "/logout?"))
            #expect(ProviderHop.query("post_logout_redirect_uri", in: next) == WebClientSetup.publicURL + "/app/signed-out")
            #expect(ProviderHop.query("client_id", in: next) == WebClientSetup.clientID)
            #expect(browser.session == nil, "the cookie is cleared")
            let back = try await ProviderHop.authorize(next)
            #expect(back.status == 302 && back.location?.hasPrefix(WebClientSetup.publicURL + "/app/signed-out") == true)
            // The old cookie, kept by someone: worth nothing now.
            let cookie: HTTPFields = [.cookie: "__Host-varde_session=\(kept)"]
            #expect(try await client.request(.get, "/app/session", headers: cookie).status == .unauthorized)
            #expect(try await client.request(.get, "/v1/teams/\(ward.team)/patients", headers: cookie).status == .unauthorized)
            let ended = try await client.database.withConnection { c in
                try c.query("SELECT count(*) FROM web_sessions WHERE ended_at IS NOT NULL").int(0, 0)
            }
            #expect(ended == 1)
            let logged = try await client.database.withConnection { c in
                try c.query("SELECT count(*) FROM access_log WHERE action = 'webSignOut' AND subject = 'nurse-ola'").int(0, 0)
            }
            #expect(logged == 1)
            #expect(try await client.request(.get, "/app/signed-out").status == .ok)
        }
    }

    @Test("pending sign-ins are bounded: gone once past their lifetime; one address may start 30 a minute, then one a second (429)")
    func pendingSignInsBounded() async throws {
        try await Self.run { client, _, _ in
            func pending() async throws -> Int64 {
                try await client.database.withConnection { c in try c.query("SELECT count(*) FROM web_logins").int(0, 0) ?? -1 }
            }
            #expect(try await client.request(.get, "/app/login").status == .found)
            try await client.database.withConnection { c in
                _ = try c.query("UPDATE web_logins SET created_at = created_at - interval '11 minutes'")
            }
            #expect(try await client.request(.get, "/app/login").status == .found)
            #expect(try await pending() == 1, "the sign-in past its ten minutes is purged by the next start")
            // The 31st is the one a second past the limit.
            for _ in 3...31 { #expect(try await client.request(.get, "/app/login").status == .found) }
            let refused = try await client.request(.get, "/app/login")
            #expect(refused.status == .tooManyRequests && Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1, "\(refused.status)")
            #expect(refused.text.contains("For mange innlogginger"))
            #expect(try await pending() == 30, "31 started, the first purged, the refused one stored nothing")
        }
    }

    @Test("someone the app does not serve (an auditor) gets no session, and the refusal is logged")
    func otherRoles() async throws {
        try await Self.run { client, provider, _ in
            try await WebClientSetup.user(provider, sub: "auditor-kari", name: "Kari Revisor", role: "auditor", teams: [])
            let browser = WebBrowser(client)
            let (_, callback) = try await Self.startSignIn(browser, provider, as: "auditor-kari")
            let reply = try await browser.request(.get, ProviderHop.pathAndQuery(callback))
            #expect(reply.status == .forbidden && browser.session == nil)
            let logged = try await client.database.withConnection { c in
                try c.query("SELECT count(*) FROM access_log WHERE action = 'webSignIn' AND subject = 'auditor-kari'").int(0, 0)
            }
            #expect(logged == 1)
            #expect(try await browser.request(.get, "/app/dev-login").status == .notFound, "no development sign-in beside a provider")
        }
    }
}

/// The web app's sign-in settings are checked at start: half a client, or a
/// key that cannot be used, stops the server with a message naming what is wrong.
@Suite("Web app: sign-in settings")
struct WebSignInSettingsTests {
    static func refusal(_ configure: @escaping (inout Configuration) -> Void) async -> String {
        do {
            try await TestApp.run(configure: configure) { _ in }
            return "started"
        } catch {
            return "\(error)"
        }
    }

    @Test("a client id without a key, or without a public URL or issuer, and an unreadable or unsuitable key stop the start")
    func refused() async throws {
        let provider = try OIDCTestProvider.start()
        defer { provider.stop() }
        let setup = try await WebClientSetup.register(provider)
        defer { try? FileManager.default.removeItem(atPath: setup.keyPath) }
        let base: (inout Configuration) -> Void = {
            $0.devAuth = false
            $0.oidcIssuer = provider.issuer
            $0.jwtAudience = "varde-api"
            $0.publicURL = WebClientSetup.publicURL
            $0.oidcClientID = WebClientSetup.clientID
            $0.oidcClientKey = setup.keyPath
        }
        #expect(
            await Self.refusal {
                base(&$0)
                $0.oidcClientKey = nil
            }.contains("--oidc-client-key"))
        #expect(
            await Self.refusal {
                base(&$0)
                $0.publicURL = nil
            }.contains("--public-url"))
        #expect(
            await Self.refusal {
                base(&$0)
                $0.oidcScopes = "profile"
            }.contains("openid"))
        #expect(
            await Self.refusal {
                base(&$0)
                $0.oidcClientKey = "/nonexistent/client.pem"
            }.contains("cannot be read"))
        let weak = FileManager.default.temporaryDirectory.appending(path: "varde-weak-\(UUID().uuidString).pem").path
        defer { try? FileManager.default.removeItem(atPath: weak) }
        try Data("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".utf8).write(to: URL(fileURLWithPath: weak))
        #expect(
            await Self.refusal {
                base(&$0)
                $0.oidcClientKey = weak
            }.contains("RSA (at least 2048 bits) or P-256"))
        #expect(await Self.refusal(base) == "started")
    }
}
