import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import VardeAuth

/// A browser as far as the web app can tell: a cookie jar over the test
/// client, the `Origin` of the app's own pages on its posts, and the CSRF
/// token it read from `/app/session`.
final class WebBrowser: @unchecked Sendable {
    let client: Client
    private(set) var cookies: [String: String] = [:]
    var csrf: String?

    init(_ client: Client) {
        self.client = client
    }

    var session: String? { cookies["__Host-varde_session"] }

    /// A request carrying the jar's cookies; `Set-Cookie` answers update it.
    @discardableResult
    func request(
        _ method: HTTPRequest.Method, _ path: String, json: Any? = nil, form: String? = nil, csrf: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Client.Reply {
        var headers = extra
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if let csrf { headers[HTTPField.Name("X-CSRF-Token")!] = csrf }
        if method == .post, headers[.origin] == nil { headers[.origin] = "http://localhost" }
        let reply =
            if let form {
                try await client.request(method, path, raw: form, contentType: "application/x-www-form-urlencoded", headers: headers)
            } else {
                try await client.request(method, path, json: json, headers: headers)
            }
        for line in reply.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0])
            if line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = pair.count > 1 ? String(pair[1]) : "" }
        }
        return reply
    }

    /// Reads `/app/session` and keeps its CSRF token.
    func loadSession() async throws -> [String: Any] {
        let reply = try await request(.get, "/app/session")
        guard reply.status == .ok else { throw SeedError("session: \(reply.status) \(reply.text)") }
        csrf = reply.object["csrfToken"] as? String
        return reply.object
    }
}

/// The local provider set up for the web app: a client registered with
/// this test's own P-256 key (made by openssl, the way an operator would),
/// and its redirect URIs under `publicURL`.
struct WebClientSetup {
    static let publicURL = "http://localhost:8080"
    static let clientID = "varde-web-test"
    let keyPath: String

    static func register(_ provider: OIDCTestProvider) async throws -> WebClientSetup {
        let path = FileManager.default.temporaryDirectory.appending(path: "varde-web-client-\(UUID().uuidString).pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw SeedError("openssl genpkey failed") }
        let key = try ClientKey.load(path: path)
        let jwks = try JSONSerialization.jsonObject(with: key.publicJWKS)
        try await provider.admin(
            "/admin/clients",
            [
                "client_id": clientID, "jwks": jwks, "redirect_uris": [publicURL + "/app/callback"],
                "post_logout_redirect_uris": [publicURL + "/app/signed-out"],
            ])
        return WebClientSetup(keyPath: path)
    }

    /// A person the provider signs in: `role` of `teams`.
    static func user(_ provider: OIDCTestProvider, sub: String, name: String, role: String, teams: [UUID]) async throws {
        try await provider.admin(
            "/admin/users",
            ["sub": sub, "name": name, "claims": ["varde_role": role, "varde_teams": teams.map(\.uuidString)]])
    }
}

/// The provider's side of a sign-in, followed without a browser: the
/// authorization request the server sent the browser to, answered for the
/// user preset with `/admin/next-login`, up to the redirect back.
enum ProviderHop {
    static func authorize(_ url: String) async throws -> (status: Int, location: String?) {
        let http = HTTPClient(configuration: .init(redirectConfiguration: .disallow))
        do {
            let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            try await http.shutdown()
            return (Int(response.status.code), response.headers.first(name: "Location"))
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// The path and query of `url` (the callback on this server).
    static func pathAndQuery(_ url: String) -> String {
        guard let c = URLComponents(string: url) else { return url }
        return c.percentEncodedPath + (c.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    /// `url` with query parameter `name` replaced.
    static func replacing(_ name: String, with value: String, in url: String) -> String {
        guard var c = URLComponents(string: url) else { return url }
        c.queryItems = (c.queryItems ?? []).map { $0.name == name ? URLQueryItem(name: name, value: value) : $0 }
        return c.string ?? url
    }

    static func query(_ name: String, in url: String) -> String? {
        URLComponents(string: url)?.queryItems?.first { $0.name == name }?.value
    }
}
