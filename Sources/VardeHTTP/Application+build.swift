import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import VardeStore

/// Builds the whole server: database pool, LISTEN/NOTIFY listener, projector,
/// sweep and HTTP routes, each a `Service` in one group with graceful shutdown.
/// Lives outside `@main` so tests build exactly the same application.
///
/// - Parameter database: an existing pool (tests pass one bound to their own
///   schema); by default one is made from `configuration.databaseURL`.
public func buildApplication(
    _ configuration: Configuration, logger: Logger, database: Database? = nil
) async throws -> some ApplicationProtocol {
    let ownsDatabase = database == nil
    let database = database ?? Database(
        conninfo: configuration.databaseURL, maxConnections: configuration.databasePoolSize, logger: logger)
    let migrations = try Migration.bundled(folder: configuration.sqlDirectory)

    let router = Router(context: AppContext.self)
    router.add(middleware: ProblemMiddleware())
    HealthController(database: database, migrations: migrations).register(with: router)

    var services: [any Service] = []
    if ownsDatabase { services.append(database) }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "varde"),
        services: services,
        logger: logger)
}
