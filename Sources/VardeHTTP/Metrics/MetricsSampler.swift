import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VardeStore

/// Every few seconds, the gauges that describe state rather than events:
/// database connections in use and waiting, long polls waiting, open
/// connections, and how far the projector is behind (events and seconds:
/// the age of the oldest event not yet in the read models), and whether it
/// is failing.
struct MetricsSampler: Service {
    let services: AppServices
    let connections: ConnectionGuard.Count
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sample()
                try? await Task.sleep(for: interval)
            }
        }
    }

    func sample() async {
        let pool = services.database.usage
        Gauge(label: "varde_db_pool_connections_in_use").record(pool.inUse)
        Gauge(label: "varde_db_pool_waiting").record(pool.waiting)
        Gauge(label: "varde_long_polls_waiting").record(services.polls.open)
        Gauge(label: "varde_http_connections_open").record(connections.value)
        Gauge(label: "varde_projector_failing").record(services.projectorHealth.failure == nil ? 0 : 1)
        let checkpoint = services.projected.value
        if let lag = try? await services.database.read({ try $0.projectorLag(after: checkpoint, now: services.now) }) {
            Gauge(label: "varde_projector_lag_events").record(lag.events)
            Gauge(label: "varde_projector_lag_seconds").record(lag.seconds)
        }
    }
}
