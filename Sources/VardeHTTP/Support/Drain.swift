import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Whether the server is draining: set once, on graceful shutdown.
public final class DrainState: Sendable {
    private let draining = NIOLockedValueBox(false)
    public init() {}
    public var isDraining: Bool { draining.withLockedValue { $0 } }
    func start() { draining.withLockedValue { $0 = true } }
}

/// The first step of a graceful shutdown: `/readyz` answers 503 at once (load
/// balancers send new work elsewhere), every waiting long poll returns its
/// page now and later ones at once (clients poll again elsewhere), and new
/// requests are still served for `delay` while the load balancer catches up.
/// Then this service ends and the HTTP server stops, finishing what is in flight.
struct Drain: Service {
    let services: AppServices
    let delay: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        services.drain.start()
        services.feeds.close()
        logger.notice("draining: readiness 503, long polls answered; new requests served for a moment more")
        try? await Task.sleep(for: delay)
    }
}
