import Foundation
import HTTPTypes
import Hummingbird
import Testing
import VardeHTTP

/// Issue 18: the development sign-in (`--dev-auth` only, marked as such),
/// and what every page of the app is served with: a strict CSP, no
/// sniffing, no referrer, no caching, and nothing from another host.
@Suite("Web app: development sign-in, pages and headers", .serialized)
struct WebPagesTests {
    static func devSignIn(_ browser: WebBrowser, team: UUID, role: String = "nurse", name: String = "Nina Natt") async throws
        -> Client.Reply
    {
        try await browser.request(
            .post, "/app/dev-login",
            form: "role=\(role)&team=\(team)&name=\(name.replacingOccurrences(of: " ", with: "+"))&return=%2Fapp%2Falerts")
    }

    @Test("the development sign-in page is marked, needs the app's own origin, and makes a session scoped to the chosen team")
    func development() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let browser = WebBrowser(client)
            let login = try await browser.request(.get, "/app/login")
            #expect(login.status == .found && login.headers[.location]?.hasPrefix("/app/dev-login") == true)
            let page = try await browser.request(.get, "/app/dev-login")
            #expect(page.status == .ok && page.text.contains("development-banner") && page.text.contains("DEVELOPMENT"))
            let teams = try await browser.request(.get, "/app/dev/teams")
            #expect((teams.object["teams"] as? [[String: Any]])?.count == 3)

            let foreign = try await browser.request(
                .post, "/app/dev-login", form: "role=nurse&team=\(world.kommune)&name=X", headers: [.origin: "https://evil.example"])
            #expect(foreign.status == .forbidden && browser.session == nil, "a form posted from another site")
            let admin = try await Self.devSignIn(browser, team: world.kommune, role: "admin")
            #expect(admin.status == .unprocessableContent && browser.session == nil, "nurses and clinicians only")

            let fetchSite = HTTPField.Name("Sec-Fetch-Site")!
            let crossSite = try await browser.request(
                .post, "/app/dev-login", form: "role=nurse&team=\(world.kommune)&name=X",
                headers: [.origin: "null", fetchSite: "cross-site"])
            #expect(crossSite.status == .forbidden && browser.session == nil, "Origin null from another site")

            // What Chrome sends from a page with `Referrer-Policy: no-referrer`: Origin null, Sec-Fetch-Site same-origin.
            let reply = try await browser.request(
                .post, "/app/dev-login", form: "role=nurse&team=\(world.kommune)&name=Nina+Natt&return=%2Fapp%2Falerts",
                headers: [.origin: "null", fetchSite: "same-origin"])
            #expect(reply.status == .seeOther && reply.headers[.location] == "/app/alerts")
            #expect(reply.headers[.setCookie]?.contains("SameSite=Strict") == true)
            let me = try await browser.loadSession()
            #expect(me["development"] as? Bool == true && me["name"] as? String == "Nina Natt" && me["role"] as? String == "nurse")
            let worklist = try await browser.request(.get, "/app/")
            #expect(worklist.status == .ok && worklist.text.contains("<strong>DEVELOPMENT</strong>"), "every page says so")
            #expect(try await browser.request(.get, "/v1/teams/\(world.kommune)/patients").status == .ok)
            let other = try await browser.request(.get, "/v1/teams/\(world.otherKommune)/patients").status
            #expect(other == .forbidden || other == .notFound, "\(other)")
        }
    }

    @Test("pages need a session; each has a strict CSP, nosniff, no referrer and no-store; static files are typed and revalidated")
    func headers() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let page = "/app/patients/\(world.patient)"
            let stranger = try await client.request(.get, page)
            #expect(stranger.status == .found)
            #expect(
                stranger.headers[.location] == "/app/login?return=" + page.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            let browser = WebBrowser(client)
            _ = try await Self.devSignIn(browser, team: world.kommune)
            for path in ["/app/", "/app/alerts", "/app/patients/\(world.patient)", "/app/session"] {
                let reply = try await browser.request(.get, path)
                #expect(reply.status == .ok, "\(path)")
                let csp = reply.headers[.contentSecurityPolicy] ?? ""
                for part in ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'"] {
                    #expect(csp.contains(part), "\(path): \(part)")
                }
                #expect(!csp.contains("unsafe") && !csp.contains("http") && !csp.contains("*"), "\(path): \(csp)")
                #expect(reply.headers[.xContentTypeOptions] == "nosniff")
                #expect(reply.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(reply.headers[.cacheControl] == "no-store", "\(path)")
            }
            #expect(try await browser.request(.get, "/app/patients/not-a-uuid").status == .notFound)
            let script = try await client.request(.get, "/app/assets/feed.js")
            #expect(script.status == .ok && script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.headers[.cacheControl] == "no-cache")
            let etag = try #require(script.headers[.eTag])
            #expect(try await client.request(.get, "/app/assets/feed.js", headers: [.ifNoneMatch: etag]).status == .notModified)
            let escape = try await client.request(.get, "/app/assets/..%2F..%2FPackage.swift").status
            #expect(escape == .notFound || escape == .badRequest, "\(escape)")
            #expect(try await client.request(.get, "/app/assets/nothing.js").status == .notFound)
            let api = try await client.request(.get, "/healthz")
            #expect(api.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'") == true)
        }
    }

    @Test("the app's own files: no inline script or style, scripts only from /app/assets/, no address of another host")
    func files() throws {
        let folder = OpenAPITests.repository.appending(path: "Sources/VardeHTTP/Resources/webapp")
        let names = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".html") || $0.hasSuffix(".js") || $0.hasSuffix(".css")
        }
        #expect(names.count >= 15)
        for name in names {
            let text = try String(contentsOf: folder.appending(path: name), encoding: .utf8)
            // The SVG namespace is a name, not an address anything is loaded from.
            let addresses = text.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
            #expect(!addresses.contains("http://") && !addresses.contains("https://") && !addresses.contains("//cdn"), "\(name)")
            #expect(!text.contains("@import") && !text.contains("url(http"), "\(name)")
            guard name.hasSuffix(".html") else { continue }
            #expect(
                !text.contains(" style=") && !text.contains("<style") && text.range(of: #" on[a-z]+="#, options: .regularExpression) == nil,
                "\(name): inline style or handler")
            for tag in text.components(separatedBy: "<script").dropFirst() {
                #expect(tag.hasPrefix(#" type="module" src="/app/assets/"#), "\(name): \(tag.prefix(60))")
            }
            #expect(text.contains(#"<html lang="nb">"#), "\(name)")
        }
    }
}
