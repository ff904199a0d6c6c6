import Hummingbird

/// The web app's two cookies. Both carry the `__Host-` prefix, so a browser
/// keeps them only if they are Secure, for path `/` and without a domain:
/// no subdomain and no plain-http page can set or shadow them (browsers treat
/// http://localhost as secure, so local runs and tests work without TLS).
enum WebCookies {
    /// The session: HttpOnly (no script reads it), SameSite=Strict (no other
    /// site's page sends it), a browser-session cookie (gone when the browser closes).
    static let session = "__Host-varde_session"
    /// Binds a sign-in to the browser that started it, for the provider's
    /// redirect back, a cross-site navigation that a Strict cookie would miss:
    /// SameSite=Lax, ten minutes.
    static let login = "__Host-varde_login"
    static let loginLifetime = 600

    static func sessionCookie(_ value: String) -> String {
        "\(session)=\(value); Path=/; Secure; HttpOnly; SameSite=Strict"
    }

    static func loginCookie(_ value: String) -> String {
        "\(login)=\(value); Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=\(loginLifetime)"
    }

    /// Tells the browser to forget `name`.
    static func cleared(_ name: String) -> String {
        "\(name)=; Path=/; Secure; HttpOnly; SameSite=\(name == session ? "Strict" : "Lax"); Max-Age=0"
    }

    /// The value of cookie `name` in the request's `Cookie` headers (the first, if sent twice).
    static func value(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                // Values this server sets are base64url; anything else was not set by it.
                guard !value.isEmpty, value.count <= 128,
                    value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
                else { return nil }
                return value
            }
        }
        return nil
    }
}
