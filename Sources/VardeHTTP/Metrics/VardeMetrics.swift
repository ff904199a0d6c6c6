import Metrics
import NIOConcurrencyHelpers
import Prometheus

/// The process's metrics: swift-metrics handles everywhere, recorded into one
/// Prometheus registry, served by `MetricsServer` on a listener of its own.
/// Labels name kinds (route templates, methods, statuses, outcomes), never a
/// patient, person, team or device.
public enum VardeMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = NIOLockedValueBox(false)

    /// Installs the Prometheus backend, once per process (swift-metrics
    /// allows one bootstrap). Handles made before it stay silent, so the
    /// application calls this before it builds anything that records.
    public static func bootstrap() {
        bootstrapped.withLockedValue { done in
            guard !done else { return }
            done = true
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.nameAndLabelSanitizer = { name, labels in
                (
                    names[name] ?? name.replacingOccurrences(of: ".", with: "_"),
                    labels.map { ($0.replacingOccurrences(of: ".", with: "_"), $1) }
                )
            }
            MetricsSystem.bootstrap(factory)
        }
    }

    /// Hummingbird's request metrics under names in Prometheus' style.
    static let names = [
        "hb.requests": "varde_http_requests_total",
        "hb.request.errors": "varde_http_request_errors_total",
        "http.server.request.duration": "varde_http_request_duration_seconds",
        "http.server.active_requests": "varde_http_active_requests",
    ]
}
