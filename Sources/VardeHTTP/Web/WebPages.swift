import Hummingbird

/// The few pages the server writes itself: why a sign-in failed, and the
/// step between the provider's redirect and the app. Every text is one of
/// these constants (in bokmål and English); nothing from a request is echoed
/// but a return path that was checked (`WebApp.returnPath`) and escaped.
enum WebPages {
    struct Message: Sendable {
        var nb: String
        var en: String
    }

    static let expired = Message(
        nb: "Innloggingen er utløpt eller allerede brukt. Start på nytt.",
        en: "The sign-in has expired or was used already. Please start again.")
    static let wrongState = Message(
        nb: "Innloggingen hørte ikke til denne nettleseren. Start på nytt.",
        en: "The sign-in did not belong to this browser. Please start again.")
    static let refused = Message(
        nb: "Identitetstjenesten godtok ikke innloggingen. Start på nytt.",
        en: "The identity provider did not accept the sign-in. Please start again.")
    static let cancelled = Message(
        nb: "Innloggingen ble avbrutt hos identitetstjenesten.", en: "The sign-in was cancelled at the identity provider.")
    static let unavailable = Message(
        nb: "Identitetstjenesten svarer ikke nå. Prøv igjen om litt.",
        en: "The identity provider does not answer just now. Please try again shortly.")
    static let notConfigured = Message(
        nb: "Innlogging til nettappen er ikke satt opp på denne serveren.", en: "Sign-in to the web app is not configured on this server.")
    static let tooManySignIns = Message(
        nb: "For mange innlogginger er startet herfra. Vent litt og prøv igjen.",
        en: "Too many sign-ins were started from here. Please wait a moment and try again.")
    static let noAccess = Message(
        nb: "Brukeren din har ikke tilgang til oppfølgingsappen (kun sykepleiere og leger i et team).",
        en: "Your account has no access to the follow-up app (nurses and clinicians of a team only).")

    /// A page saying `message`, with a link to sign in again.
    static func message(_ message: Message, status: HTTPResponse.Status) -> Response {
        html(
            status: status, title: "Varde",
            body: """
                <main class="message">
                  <h1>Varde</h1>
                  <p lang="nb">\(escape(message.nb))</p>
                  <p lang="en">\(escape(message.en))</p>
                  <p><a href="/app/login">Logg inn / Sign in</a></p>
                </main>
                """)
    }

    /// Signed in: on to the app by a navigation this page starts, which
    /// carries the new SameSite=Strict session cookie (the redirect chain from
    /// the provider is cross-site, and the browser would leave it out there).
    static func continuing(to path: String) -> Response {
        let target = escape(path)
        return html(
            status: .ok, title: "Varde", head: #"<meta http-equiv="refresh" content="0;url=\#(target)">"#,
            body: """
                <main class="message">
                  <h1>Varde</h1>
                  <p><a href="\(target)">Du er logget inn – fortsett / Signed in – continue</a></p>
                </main>
                """)
    }

    private static func html(status: HTTPResponse.Status, title: String, head: String = "", body: String) -> Response {
        let page = """
            <!doctype html>
            <html lang="nb">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title><link rel="stylesheet" href="/app/assets/app.css">
            <link rel="icon" href="/app/assets/favicon.svg" type="image/svg+xml">\(head)</head>
            <body>
            \(body)
            </body>
            </html>
            """
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
