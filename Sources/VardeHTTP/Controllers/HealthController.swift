import Hummingbird
import VardeStore

/// `/healthz`: the process is up. `/readyz`: the database answers and every
/// migration in `sql/` has been applied (503 otherwise, so a load balancer
/// holds traffic back during a migration or a database outage).
struct HealthController {
    let database: Database
    let migrations: [Migration]

    func register(with router: Router<AppContext>) {
        router.get("/healthz") { _, _ in Self.status("ok") }
        router.get("/readyz") { _, context in try await ready(context) }
    }

    private func ready(_ context: AppContext) async throws -> Response {
        let expected = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0.checksum) })
        do {
            let applied = try await database.read { try $0.appliedMigrations() }
            guard applied == expected else {
                return Self.status("migrations pending: run `varde migrate`", code: .serviceUnavailable)
            }
            return Self.status("ready")
        } catch {
            context.logger.warning("readiness check failed", metadata: ["error": "\(error)"])
            return Self.status("database unreachable", code: .serviceUnavailable)
        }
    }

    private static func status(_ text: String, code: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: code, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"status":"\#(text)"}"#)))
    }
}
