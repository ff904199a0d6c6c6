import Hummingbird
import VardeCore

/// Refuses a request whose path or query, once percent-decoded, is not UTF-8
/// or holds a control character (C0, DEL, C1): no handler, parameter parser
/// or SQL parameter ever sees one (PostgreSQL refuses U+0000 in text, which
/// would be a 500 after the request had been authorised and logged).
struct URIGateMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let decoded = request.uri.description.removingPercentEncoding else {
            throw Problem.badRequest("the URL is not valid percent-encoded UTF-8")
        }
        guard TextRules.isSingleLine(decoded) else { throw Problem.badRequest("the URL holds a control character") }
        return try await next(request, context)
    }
}
