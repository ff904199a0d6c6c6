import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
    static let xForwardedFor = Self("X-Forwarded-For")!
}

/// Puts the request's id on every response, errors included: the same id the
/// request log, the access log and the events' metadata (`requestID`) carry,
/// so a gateway vendor or a nurse's support ticket can name the request and an
/// operator or auditor can find everything it did.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.requestID] = context.id
        return response
    }
}
