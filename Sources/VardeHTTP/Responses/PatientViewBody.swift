import Foundation
import VardeCore
import VardeStore

/// `GET /v1/patients/{id}` and the answer of every patient command: the
/// nurse's view, rendered by Core's `PatientView` from the patient's state
/// (the same builder the auditors' as-of view uses).
struct PatientViewBody: Encodable {
    struct Point: Encodable {
        var readingId: UUID
        var value: MeasurementValue
        var measuredAt: Date

        init(_ p: PatientView.Point) { (readingId, value, measuredAt) = (p.readingID, p.value, p.measuredAt) }
    }

    var id: UUID
    var nationalId: String
    var kommunenummer: String
    var program: String
    var status: String
    var teams: PatientTeams
    var routing: String
    var enrolledAt: Date
    var dischargedAt: Date?
    var thresholds: ThresholdSet
    var thresholdVersion: Int
    var devices: [PatientState.DeviceBinding]
    var latest: [String: Point]
    var version: Int64
    var openAlerts: [AlertItem]
    var recent: [String: [Point]]
    /// What outside systems (PHD gateways) know the patient by.
    var identifiers: [RegisteredIdentifier]

    /// Nil for a stream with no enrolment.
    init?(state: PatientState, now: Date) {
        guard state.isEnrolled, let id = state.patientID, let enrolledAt = state.enrolledAt else { return nil }
        let view = PatientView(state: state, now: now)
        self.id = id
        nationalId = state.nationalID ?? ""
        kommunenummer = view.kommunenummer ?? ""
        program = view.program?.rawValue ?? Program.generell.rawValue
        status = view.status.rawValue
        teams = view.teams
        routing = view.routing.rawValue
        self.enrolledAt = enrolledAt
        dischargedAt = view.dischargedAt
        thresholds = view.thresholds
        thresholdVersion = view.thresholdVersion
        devices = view.devices
        latest = Dictionary(uniqueKeysWithValues: view.latest.map { ($0.key.rawValue, Point($0.value)) })
        version = state.version
        openAlerts = view.openAlerts.map { AlertItem($0, patientID: id, change: nil) }
        recent = Dictionary(uniqueKeysWithValues: view.recent.map { ($0.key.rawValue, $0.value.map(Point.init)) })
        identifiers = state.identifiers
    }

    private enum CodingKeys: String, CodingKey {
        case id, nationalId, kommunenummer, program, status, teams, routing, enrolledAt, dischargedAt, thresholds
        case thresholdVersion, devices, latest, version, openAlerts, recent, identifiers
    }

    /// As the read-model view always did: `dischargedAt` is present, null while under follow-up.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(nationalId, forKey: .nationalId)
        try c.encode(kommunenummer, forKey: .kommunenummer)
        try c.encode(program, forKey: .program)
        try c.encode(status, forKey: .status)
        try c.encode(teams, forKey: .teams)
        try c.encode(routing, forKey: .routing)
        try c.encode(enrolledAt, forKey: .enrolledAt)
        try c.encode(dischargedAt, forKey: .dischargedAt)
        try c.encode(thresholds, forKey: .thresholds)
        try c.encode(thresholdVersion, forKey: .thresholdVersion)
        try c.encode(devices, forKey: .devices)
        try c.encode(latest, forKey: .latest)
        try c.encode(version, forKey: .version)
        try c.encode(openAlerts, forKey: .openAlerts)
        try c.encode(recent, forKey: .recent)
        try c.encode(identifiers, forKey: .identifiers)
    }
}
