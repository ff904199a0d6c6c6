import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VardeCore

/// The missing-measurement sweep: every `interval`, patients whose expected
/// measurements are overdue get a `checkOverdue` decision, recorded as events
/// (so replay never consults the clock). One instance acts at a time: the
/// sweep holds a session advisory lock while it runs; others skip that round.
public final class OverdueSweep: Service, Sendable {
    private let patients: PatientRepository
    private let interval: Duration
    private let clock: any WallClock
    private let logger: Logger

    public init(patients: PatientRepository, interval: Duration, clock: any WallClock = SystemClock(), logger: Logger) {
        self.patients = patients
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let raised = try await self.sweep(now: self.clock.now())
                    Counter(label: "varde_sweep_runs_total").increment()
                    Counter(label: "varde_sweep_patients_alerted_total").increment(by: raised)
                    if raised > 0 { self.logger.info("overdue sweep raised alerts", metadata: ["patients": "\(raised)"]) }
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.error("overdue sweep failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// One round as of `now`; returns how many patients got new events, or 0
    /// when another instance holds the sweep lock.
    @discardableResult
    public func sweep(now: Date) async throws -> Int {
        let patients = self.patients
        return try await patients.store.database.withConnection { c in
            // Advisory locks are per database; the key names this schema's log, so a
            // deployment (or a test) in another schema never makes this one skip.
            guard
                try c.query("SELECT pg_try_advisory_lock(hashtextextended('varde.overdue-sweep.' || current_schema(), 3))")
                    .bool(0, 0) == true
            else { return 0 }
            defer { _ = try? c.query("SELECT pg_advisory_unlock(hashtextextended('varde.overdue-sweep.' || current_schema(), 3))") }
            let candidates = try c.query(
                """
                SELECT DISTINCT p.id FROM patients p, jsonb_array_elements(p.thresholds->'expected') e
                WHERE p.discharged_at IS NULL
                  AND coalesce((p.latest->(e->>'kind')->>'measuredAt')::timestamptz, p.enrolled_at)
                      + ((e->>'intervalHours')::float8 + (e->>'graceHours')::float8) * interval '1 hour' <= $1
                  AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.patient_id = p.id
                                  AND a.rule = 'overdue.' || (e->>'kind') AND a.state <> 'resolved')
                """, [now])
            let ids = (0..<candidates.rowCount).compactMap { candidates.string($0, 0).flatMap(UUID.init(uuidString:)) }
            guard !ids.isEmpty else { return 0 }
            let execution = try patients.executeSync(
                ids.map { PatientRepository.Item(patientID: $0, command: .checkOverdue) },
                context: DecisionContext(now: now, actor: .system), metadata: .system, on: c)
            return execution.outcomes.filter { (try? $0.result.get().isEmpty) == false }.count
        }
    }
}
