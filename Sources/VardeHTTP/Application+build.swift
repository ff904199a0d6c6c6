import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import VardeAuth
import VardeCore
import VardeStore

/// Builds the whole server: database pool, LISTEN/NOTIFY listener, projector,
/// overdue sweep and HTTP routes, each a `Service` in one group with graceful
/// shutdown. Lives outside `@main` so tests build exactly the same application.
///
/// - Parameters:
///   - database: an existing pool (tests pass one bound to their own schema);
///     by default one is made from `configuration.databaseURL`.
///   - clock: where every handler and the sweep read the time (`varde
///     simulate` passes a simulated one).
public func buildApplication(
    _ configuration: Configuration, logger: Logger, database: Database? = nil, clock: any WallClock = SystemClock()
) async throws -> some ApplicationProtocol {
    try await makeApplication(configuration, logger: logger, database: database, clock: clock).app
}

/// What `varde serve` runs: the application and its drain in one service
/// group that SIGTERM and SIGINT stop gracefully, within `drainTimeout`.
/// The group stops its services last first, so the drain (readiness 503,
/// long polls answered, `drainDelay` of grace) runs before the HTTP server
/// stops accepting and lets in-flight requests finish, and the database
/// closes after them.
public func buildServiceGroup(
    _ configuration: Configuration, logger: Logger, clock: any WallClock = SystemClock()
) async throws -> ServiceGroup {
    let (app, services) = try await makeApplication(configuration, logger: logger, database: nil, clock: clock)
    let drain = Drain(services: services, delay: .milliseconds(Int(configuration.drainDelay * 1000)), logger: logger)
    var group = ServiceGroupConfiguration(services: [app, drain], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    // Graceful stopping may take the drain timeout less a second; what is
    // still running then (a client that never finishes its request) is
    // cancelled, which takes at most that second: the process ends within
    // the timeout (Kubernetes' grace period is counted from the same signal).
    let allowance = min(1.0, configuration.drainTimeout / 4)
    group.maximumGracefulShutdownDuration = .milliseconds(Int((configuration.drainTimeout - allowance) * 1000))
    group.maximumCancellationDuration = .milliseconds(Int(allowance * 1000))
    return ServiceGroup(configuration: group)
}

func makeApplication(
    _ configuration: Configuration, logger: Logger, database: Database?, clock: any WallClock
) async throws -> (app: some ApplicationProtocol, services: AppServices) {
    // Before anything that records makes its handles (they bind to the backend of the moment).
    if configuration.metricsPort != nil { VardeMetrics.bootstrap() }
    let ownsDatabase = database == nil
    let database =
        database
        ?? Database(
            conninfo: configuration.databaseURL, options: configuration.serverOptions, maxConnections: configuration.databasePoolSize,
            logger: logger)
    let migrations = try Migration.bundled(folder: configuration.sqlDirectory)
    let openAPI = try OpenAPIDocument.bundled()
    let verifier = try await StaffTokens.verifier(configuration, logger: logger)
    let store = EventStore(database: database)
    let head = Watermark()
    // The projector has connections of its own, so requests never starve it: on
    // the request pool, a 20-minute soak once left it without one for 2 s.
    let projection = Database(
        conninfo: database.conninfo, options: database.options, user: database.user, maxConnections: 2, logger: logger)
    let projector = Subscription(
        name: Projector.subscriptionName, database: projection, handler: Projector(), head: head, logger: logger)
    let services = AppServices(
        database: database, store: store, patients: PatientRepository(store: store), projected: projector.progress,
        configuration: configuration, verifier: verifier, head: head, projectorHealth: projector.health, clock: clock)

    let web = try WebApp.make(configuration, verifier: verifier, database: database, logger: logger)
    let (router, _) = buildRouter(services, migrations: migrations, openAPI: openAPI, web: web)
    let connections = ConnectionGuard.Count(limit: configuration.maxConnections)
    let readTimeout = TimeAmount.seconds(Int64(configuration.requestReadTimeout))
    var app = Application(
        router: router,
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [ConnectionGuard(count: connections, readTimeout: readTimeout)],
                idleTimeout: .seconds(Int64(configuration.idleTimeout)),
                httpDecoderConfiguration: .init(maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "varde"),
        services: [],
        logger: logger)
    if ownsDatabase { app.addServices(database) }
    if let verifier, let provider = verifier.provider {
        app.addServices(
            OIDCRefresher(
                provider: provider, verifier: verifier, interval: .seconds(configuration.oidcRefreshInterval), retry: .seconds(30),
                logger: logger))
    }
    if let port = configuration.metricsPort {
        app.addServices(
            MetricsServer(host: configuration.metricsHost, port: port, logger: logger),
            MetricsSampler(services: services, connections: connections, interval: .seconds(5), logger: logger))
    }
    app.addServices(
        NotificationListener(database: database, head: head, gatewayKeys: services.gatewayKeys, feeds: services.feeds, logger: logger),
        projection, projector,
        OverdueSweep(patients: services.patients, interval: .seconds(configuration.sweepInterval), clock: clock, logger: logger))
    return (app, services)
}

/// The router with every route, and the list of what was registered.
/// `openAPI` is served at `GET /openapi.yaml` as it is.
public func buildRouter(
    _ services: AppServices, migrations: [Migration], openAPI: OpenAPIDocument, web: WebApp? = nil
) -> (Router<AppContext>, [RegisteredRoute]) {
    let router = Router(context: AppContext.self)
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: TraceContextMiddleware())
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    let guardian = Guard(services: services)
    let routes = RouteTable(router: router, guardian: guardian)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: URIGateMiddleware())
    router.add(
        middleware: MethodNotAllowedMiddleware(
            routes: routes,
            others: ["/healthz", "/readyz", "/openapi.yaml"].map { .init(method: "GET", path: $0) }
                + (web == nil ? [] : WebController.paths.map { .init(method: $0.0, path: $0.1) })))
    router.add(middleware: AuthMiddleware(services: services, sessions: web?.auth))
    HealthController(services: services, migrations: migrations).register(with: router)
    router.get("/openapi.yaml") { _, _ in openAPI.response() }
    let patients = PatientController(services: services, guardian: guardian)
    TeamController(services: services, guardian: guardian).register(routes)
    GatewayController(services: services, guardian: guardian).register(routes)
    patients.register(routes)
    ThresholdPreviewController(services: services, guardian: guardian).register(routes)
    DeviceController(patients: patients).register(routes)
    ReadingController(services: services, guardian: guardian).register(routes)
    PatientHistoryController(services: services, guardian: guardian).register(routes)
    FHIRController(services: services, guardian: guardian).register(routes)
    AlertController(services: services, guardian: guardian).register(routes)
    AccessLogController(services: services, guardian: guardian).register(routes)
    AuditController(services: services, guardian: guardian).register(routes)
    if let web { WebController(services: services, web: web).register(with: router) }
    // Made from the routes just registered, so it lists exactly what is served.
    let capabilities = FHIRCapabilities.statement(routes.routes, date: services.now)
    router.get("/fhir/metadata") { _, _ in try FHIRCapabilities.response(capabilities) }
    return (router, routes.routes)
}

/// Every route the server registers, for the role-table and OpenAPI tests.
/// Builds a router over a pool that never connects (and an empty document:
/// only the list of routes is used).
public func registeredRoutes() -> [RegisteredRoute] {
    let database = Database(conninfo: "", maxConnections: 1, logger: Logger(label: "varde.routes"))
    let store = EventStore(database: database)
    let services = AppServices(
        database: database, store: store, patients: PatientRepository(store: store), projected: Watermark(),
        configuration: Configuration(), verifier: nil)
    return buildRouter(services, migrations: [], openAPI: OpenAPIDocument(bytes: ByteBuffer())).1
}
