import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// `/healthz`: the process is up. `/readyz`: the database answers and every
/// migration in `sql/` has been applied (503 otherwise, so a load balancer
/// holds traffic back during a migration or a database outage).
///
/// A projector stopped by an error is reported as `degraded`, with the error,
/// since when and how far the read models are behind, but still 200: every
/// instance shares the log, so taking them all out of rotation would fix
/// nothing and would stop ingest, which keeps working (and must: readings
/// taken now are needed once the read models move again). The operator is
/// told by the log (error), the metric and this answer.
struct HealthController {
    let services: AppServices
    let migrations: [Migration]

    struct Ready: Encodable {
        struct Projector: Encodable {
            var error: String
            var failingSince: String
            var attempts: Int
            var checkpoint: Int64
            var head: Int64
            var behindEvents: Int64
        }
        var status: String
        var projector: Projector?
    }

    func register(with router: Router<AppContext>) {
        router.get("/healthz") { _, _ in try JSONResponse.make(Ready(status: "ok")) }
        router.get("/readyz") { _, context in try await ready(context) }
    }

    private func ready(_ context: AppContext) async throws -> Response {
        if services.drain.isDraining { return try JSONResponse.make(Ready(status: "draining"), status: .serviceUnavailable) }
        let expected = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0.checksum) })
        do {
            let applied = try await services.database.read { try $0.appliedMigrations() }
            guard applied == expected else {
                return try JSONResponse.make(Ready(status: "migrations pending: run `varde migrate`"), status: .serviceUnavailable)
            }
        } catch {
            context.logger.warning("readiness check failed", metadata: ["error": "\(error)"])
            return try JSONResponse.make(Ready(status: "database unreachable"), status: .serviceUnavailable)
        }
        guard let failure = services.projectorHealth.failure else { return try JSONResponse.make(Ready(status: "ready")) }
        let (checkpoint, head) = (services.projected.value, services.head.value)
        return try JSONResponse.make(
            Ready(
                status: "degraded",
                projector: .init(
                    error: failure.error, failingSince: EventDate.format(failure.since), attempts: failure.attempts,
                    checkpoint: checkpoint, head: head, behindEvents: max(0, head - checkpoint))))
    }
}
