import Hummingbird

/// A registered route: what the role-table and OpenAPI tests iterate over.
public struct RegisteredRoute: Sendable, Hashable {
    public var method: String
    public var path: String
    public var operation: Operation
}

/// Registers routes with their operation, so that the role check can never be
/// forgotten and the list of routes is known.
final class RouteTable: @unchecked Sendable {
    let router: Router<AppContext>
    let guardian: Guard
    private(set) var routes: [RegisteredRoute] = []

    init(router: Router<AppContext>, guardian: Guard) {
        self.router = router
        self.guardian = guardian
    }

    func on(
        _ method: HTTPRequest.Method, _ path: String, _ operation: Operation,
        _ handler: @escaping @Sendable (Request, AppContext, Caller) async throws -> Response
    ) {
        routes.append(RegisteredRoute(method: method.rawValue, path: path, operation: operation))
        let guardian = self.guardian
        router.on(RouterPath(path), method: method) { request, context in
            let caller: Caller
            do {
                caller = try guardian.caller(context, operation)
            } catch let problem as Problem where problem.status == .forbidden {
                if let who = context.caller { try await guardian.logForbidden(who, operation, request, context) }
                throw problem
            }
            return try await handler(request, context, caller)
        }
    }
}
