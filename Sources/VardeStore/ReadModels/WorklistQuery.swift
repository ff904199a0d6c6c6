import Foundation
import VardeCore

/// One patient of a team's worklist: the summary, plus what the worklist
/// needs to rank and mark it (the national identifier to name the patient by,
/// the measurement plan and enrolment time for overdue marks, the active
/// alerts' rules and colours).
public struct WorklistRow: Sendable {
    public struct ActiveAlert: Decodable, Sendable, Equatable {
        public var rule: String
        public var severity: String
        public var state: String
    }

    public var id: UUID
    public var nationalID: String
    public var kommunenummer: String
    public var program: String
    public var status: String
    public var teams: PatientTeams
    public var latest: [String: LatestReading]
    public var enrolledAt: Date
    public var expected: [ThresholdSet.Expected]
    public var activeAlerts: [ActiveAlert]
}

extension ReadSession {
    /// The team's patients under follow-up, in enrolment order (the caller ranks them).
    public func worklistRows(team: UUID) throws -> [WorklistRow] {
        let r = try connection.query(
            """
            SELECT p.id, p.national_id, p.kommunenummer, p.program, p.status, p.kommune_team, p.sykehus_team, p.latest::text,
                   (extract(epoch FROM p.enrolled_at) * 1000000)::bigint, coalesce(p.thresholds->'expected', '[]')::text,
                   coalesce((SELECT json_agg(json_build_object('rule', a.rule, 'severity', a.severity, 'state', a.state) ORDER BY a.id)
                             FROM alerts a WHERE a.patient_id = p.id AND a.state <> 'resolved'), '[]')::text
            FROM patients p
            WHERE (p.kommune_team = $1 OR p.sykehus_team = $1) AND p.discharged_at IS NULL
            ORDER BY p.enrolled_at, p.id
            """, [team])
        return try r.rows { row in
            WorklistRow(
                id: try r.requireUUID(row, 0), nationalID: try r.requireString(row, 1), kommunenummer: try r.requireString(row, 2),
                program: try r.requireString(row, 3), status: try r.requireString(row, 4),
                teams: PatientTeams(kommune: try r.optionalUUID(row, 5), sykehus: try r.optionalUUID(row, 6)),
                latest: try r.requireJSON([String: LatestReading].self, row, 7), enrolledAt: try r.requireMicros(row, 8),
                expected: try r.requireJSON([ThresholdSet.Expected].self, row, 9),
                activeAlerts: try r.requireJSON([WorklistRow.ActiveAlert].self, row, 10))
        }
    }
}
