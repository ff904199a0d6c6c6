import Foundation
import VardeCore
import VardeStore

/// A worklist or a search result: patients in short.
struct PatientListBody: Encodable {
    struct Summary: Encodable {
        var id: UUID
        var kommunenummer: String
        var program: String
        var status: String
        var teams: PatientTeams
        var latest: [String: LatestReading]
        var dischargedAt: Date?
        var openAlerts: Int

        init(_ r: PatientSummaryRow) {
            (id, kommunenummer, program, status, teams) = (r.id, r.kommunenummer, r.program, r.status, r.teams)
            (latest, dischargedAt, openAlerts) = (r.latest, r.dischargedAt, r.openAlerts)
        }
    }

    var patients: [Summary]

    init(_ rows: [PatientSummaryRow]) { patients = rows.map(Summary.init) }
}
