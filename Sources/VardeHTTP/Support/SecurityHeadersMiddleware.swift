import HTTPTypes
import Hummingbird

/// Headers on every answer, errors included: no content-type sniffing, no
/// referrer (a URL of the app names patient ids), a Content-Security-Policy
/// (the app's pages load only their own files: no inline script or style, no
/// other origin, no framing, no `<base>`, forms only to this server; the API
/// answers nothing a browser should render or frame), and `Cache-Control:
/// no-store` on everything but the app's static files, so no page or answer
/// with patient data is kept on a shared ward computer.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var appPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }
    static var apiPolicy: String { "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let path = request.uri.path
        let app = path == "/app" || path.hasPrefix("/app/")
        response.headers[.contentSecurityPolicy] = app ? Self.appPolicy : Self.apiPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        if path.hasPrefix("/app/assets/") {
            if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-cache" }
        } else {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
}
