import Foundation
import VardeCore

/// A patient in short, as search results list them (worklists: `WorklistRow`).
public struct PatientSummaryRow: Sendable {
    public var id: UUID
    public var kommunenummer: String
    public var program: String
    public var status: String
    public var teams: PatientTeams
    public var latest: [String: LatestReading]
    public var dischargedAt: Date?
    public var openAlerts: Int
}

extension ReadSession {
    /// Every enrolment of a person (current and discharged), oldest first.
    public func patients(nationalID: NationalIdentifier) throws -> [PatientSummaryRow] {
        try summaries("WHERE p.national_id = $1 ORDER BY p.enrolled_at", nationalID.value)
    }

    private func summaries(_ condition: String, _ value: any PGParameter) throws -> [PatientSummaryRow] {
        let r = try connection.query(
            """
            SELECT p.id, p.kommunenummer, p.program, p.status, p.kommune_team, p.sykehus_team, p.latest::text,
                   (extract(epoch FROM p.discharged_at) * 1000000)::bigint,
                   (SELECT count(*) FROM alerts a WHERE a.patient_id = p.id AND a.state <> 'resolved')
            FROM patients p
            """ + " " + condition, [value])
        return try r.rows { row in
            PatientSummaryRow(
                id: try r.requireUUID(row, 0), kommunenummer: try r.requireString(row, 1), program: try r.requireString(row, 2),
                status: try r.requireString(row, 3),
                teams: PatientTeams(kommune: try r.optionalUUID(row, 4), sykehus: try r.optionalUUID(row, 5)),
                latest: try r.requireJSON([String: LatestReading].self, row, 6), dischargedAt: try r.optionalMicros(row, 7),
                openAlerts: Int(try r.requireInt(row, 8)))
        }
    }
}
