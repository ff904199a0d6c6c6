import Foundation
import VardeCore

/// The projection check for one patient: replays the patient's stream with
/// the projector's own code (`Projector.prepare`, `ProjectionPage.write`)
/// into temporary tables and compares them with that patient's live rows in
/// `patients`, `device_bindings`, `readings`, `alerts` and `alert_feed`.
///
/// The live projector may lag behind the log, so the comparison is made as
/// of its checkpoint: one snapshot (REPEATABLE READ) gives the checkpoint and
/// the live rows, which the projector commits together, and only the
/// patient's events up to that position are replayed.
///
/// It runs on a connection of its own, opened for it: the temporary tables
/// shadow the live ones by name (PostgreSQL searches `pg_temp` first), and a
/// new session has no prepared statement still bound to a live table. The
/// transaction is READ ONLY, so no live table can be written by mistake.
public struct PatientProjectionVerifier: Sendable {
    /// The tables with rows of one patient, and the column that names the patient.
    static let tables = [
        ("patients", "id"), ("device_bindings", "patient_id"), ("readings", "patient_id"),
        ("alerts", "patient_id"), ("alert_feed", "patient_id"),
    ]

    public init() {}

    /// The tables that differ and the log position they were compared at.
    public func verify(_ database: Database, patient: UUID) async throws -> (differences: [ProjectionVerifier.Difference], through: Int64) {
        // The pooled connection only lends its libpq thread; the work needs a session of its own.
        try await database.withConnection { _ in
            let c = try database.dedicatedConnection()
            let live = Self.quoted(try c.query("SELECT current_schema()").requireString(0, 0))
            for (table, _) in Self.tables {
                try c.execute("CREATE TEMPORARY TABLE \(table) (LIKE \(live).\(table) INCLUDING ALL)")
            }
            return try c.transaction(opening: [.init("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")]) { c, _ in
                let through = try c.checkpoint(Projector.subscriptionName)
                var decoded: [Projector.Decoded] = []
                for event in try c.readStream(StreamName.patient(patient)) where event.position <= through {
                    // An event that does not decode is reported by the chain and alert checks;
                    // the replay goes on without it, as far as it can.
                    decoded += (try? Projector.decode([ProjectionEvent(event)])) ?? []
                }
                try Projector().prepare(decoded: decoded, connection: c).write(c)
                let differences = try Self.tables.compactMap { table, column -> ProjectionVerifier.Difference? in
                    let filter = "WHERE t.\(column) = $1::uuid"
                    let onlyLive = try ProjectionVerifier.rowsOnlyIn(
                        c, table, "\(live).\(table)", notIn: "pg_temp.\(table)", filter: filter, [patient])
                    let onlyReplayed = try ProjectionVerifier.rowsOnlyIn(
                        c, table, "pg_temp.\(table)", notIn: "\(live).\(table)", filter: filter, [patient])
                    guard onlyLive.count + onlyReplayed.count > 0 else { return nil }
                    return .init(
                        table: table, onlyLive: onlyLive.count, onlyReplayed: onlyReplayed.count,
                        onlyLiveKeys: onlyLive.keys, onlyReplayedKeys: onlyReplayed.keys)
                }
                return (differences, through)
            }
        }
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
