import Hummingbird

/// A request whose path exists but not with its method is 405 with `Allow`
/// (RFC 9110 §15.5.6), not 404: the client learns it used the wrong method,
/// not a wrong URL. No route runs, so no credential is needed to learn it,
/// just as for a 404.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppContext
    /// Filled while the router is built; read per request.
    let routes: RouteTable
    /// Routes registered outside the table (health, readiness, the document).
    let others: [RegisteredPath]

    struct RegisteredPath: Sendable {
        var method: String
        var path: String
    }

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard context.endpointPath == nil else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = allowedMethods(request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            throw Problem(
                .methodNotAllowed, type: "method-not-allowed", title: "Method not allowed",
                detail: "this path takes \(allowed.joined(separator: ", "))", headers: [.allow: allowed.joined(separator: ", ")])
        }
    }

    func allowedMethods(_ path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let all = routes.routes.map { RegisteredPath(method: $0.method, path: $0.path) } + others
        let methods = all.filter { Self.matches($0.path, segments) }.map(\.method)
        return Array(Set(methods)).sorted()
    }

    /// `/v1/patients/{patientId}` matches `/v1/patients/abc`.
    static func matches(_ template: String, _ segments: [Substring]) -> Bool {
        let parts = template.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in
            part.hasPrefix("{") ? !segment.isEmpty : part == segment
        }
    }
}
