import Hummingbird
import Logging
import ServiceLifecycle

/// `GET /metrics` in the Prometheus text format, on its own address and port
/// (`--metrics-host`, `--metrics-port`): never on the API's listener, so a
/// scrape is not exposed with the API and needs no credentials.
struct MetricsServer: Service {
    let host: String
    let port: Int
    let logger: Logger

    func run() async throws {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: VardeMetrics.registry.emitToBuffer())))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "varde-metrics"), logger: logger)
        try await app.run()
    }
}
