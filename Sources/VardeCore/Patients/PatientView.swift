import Foundation

/// What a nurse sees for one patient. A pure function of the folded state and a `now`.
public struct PatientView: Equatable, Sendable {
    /// Green: no active alert; otherwise the worst active alert's colour.
    public enum Status: String, Codable, Sendable, Comparable {
        case green, yellow, red
        public static func < (a: Status, b: Status) -> Bool {
            [.green, .yellow, .red].firstIndex(of: a)! < [.green, .yellow, .red].firstIndex(of: b)!
        }
    }

    /// One non-void reading.
    public struct Point: Equatable, Sendable {
        public var readingID: UUID
        public var value: MeasurementValue
        public var measuredAt: Date
    }

    public var patientID: UUID?
    public var program: Program?
    public var kommunenummer: String?
    public var status: Status
    /// The latest non-void reading per kind, by measured time.
    public var latest: [MeasurementKind: Point]
    /// Active (open, acknowledged, escalated) alerts, oldest first.
    public var openAlerts: [Alert]
    public var thresholds: ThresholdSet
    public var thresholdVersion: Int
    public var teams: PatientTeams
    public var routing: RoutingOption
    /// Every binding so far, oldest first (`to` once unbound), as the live view lists them.
    public var devices: [PatientState.DeviceBinding]
    /// Non-void readings measured since 30 days before `now`, per kind, oldest first. No upper
    /// bound: a reading a device clock put slightly ahead (within the accepted skew) is the
    /// latest value and belongs in the series too.
    public var recent: [MeasurementKind: [Point]]
    public var dischargedAt: Date?
    public var isDischarged: Bool { dischargedAt != nil }

    /// How far back `recent` reaches.
    public static let recentWindow: TimeInterval = 30 * 86_400

    public init(state s: PatientState, now: Date) {
        let points = s.readings.filter { !$0.value.isVoid }
            .map { Point(readingID: $0.key, value: $0.value.value, measuredAt: $0.value.measuredAt) }
            .sorted { ($0.measuredAt, $0.readingID.uuidString) < ($1.measuredAt, $1.readingID.uuidString) }
        let byKind = Dictionary(grouping: points, by: \.value.kind)
        let from = now.addingTimeInterval(-Self.recentWindow)
        patientID = s.patientID
        program = s.program
        kommunenummer = s.kommunenummer
        openAlerts = s.alerts.values.filter(\.isActive).sortedByRaise()
        status = s.status
        latest = byKind.compactMapValues(\.last)
        recent = byKind.mapValues { $0.filter { $0.measuredAt >= from } }.filter { !$0.value.isEmpty }
        thresholds = s.thresholds
        thresholdVersion = s.thresholdVersion
        teams = s.teams
        routing = s.routing
        devices = s.devices
        dischargedAt = s.dischargedAt
    }

    /// Folds `events` and renders the view as of `now`.
    public static func project(_ events: some Sequence<PatientEvent>, now: Date) -> PatientView {
        PatientView(state: .replay(events), now: now)
    }
}
