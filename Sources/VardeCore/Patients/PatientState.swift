import Foundation

/// The patient aggregate's state: everything `decide` needs, folded from the patient's stream.
public struct PatientState: Equatable, Sendable {
    /// A device bound for `[from, to)`; `to` is nil while bound.
    public struct DeviceBinding: Equatable, Sendable, Codable {
        public var serial: String
        public var kind: String
        public var from: Date
        public var to: Date?
        /// EUI-64, Bluetooth address…, normalised (nil: bound by serial alone).
        public var identifiers: [RegisteredIdentifier]? = nil
        /// What a gateway last reported about the device.
        public var description: DeviceDescription? = nil

        /// Whether the device goes by `identifier` (or by `serial`).
        public func isNamed(_ identifier: RegisteredIdentifier) -> Bool {
            (identifiers ?? []).contains(identifier) || description?.identifiers?.contains(identifier) == true
        }
    }

    /// What the aggregate remembers of a reading.
    public struct Reading: Equatable, Sendable {
        public var value: MeasurementValue
        public var measuredAt: Date
        public var receivedAt: Date
        public var isVoid: Bool
        /// As the gateway sent it, to tell a retry from a reused reading id.
        public var content: ReadingContent
        /// Its idempotency key (`DeterministicID.gatewayReadingKey`).
        public var key: String
        public var kind: MeasurementKind { value.kind }
    }

    /// A retained reading's place: by measured time, then id.
    public struct ReadingStamp: Equatable, Sendable {
        public var measuredAt: Date
        public var id: UUID

        func precedes(_ other: ReadingStamp) -> Bool {
            measuredAt != other.measuredAt ? measuredAt < other.measuredAt : id.uuidString < other.id.uuidString
        }
    }

    /// Readings kept per kind: the latest by measured time. What `decide`
    /// needs of older ones the store knows: a retry of an older reading is
    /// found in the log before deciding (`IngestLookup.stored`), voiding one
    /// is vouched for by the read model, and `voided` keeps every void id. A
    /// state that kept every reading grew without end and made each command
    /// copy a patient's whole history (the soak in docs/benchmarks.md: 6.8 GiB
    /// and p99 12 s after 3.6M readings of 200 patients). The bound is part of
    /// the fold, so a replay decides exactly as the live state did.
    public static let retainedPerKind = 500

    public var isEnrolled = false
    public var patientID: UUID?
    /// The fødselsnummer or D-nummer enrolled under (for the patient's own view; never logged).
    public var nationalID: String?
    public var program: Program?
    public var kommunenummer: String?
    public var enrolledAt: Date?
    public var teams = PatientTeams()
    public var routing = RoutingOption.standard
    public var dischargedAt: Date?
    /// Identifiers outside systems know the patient by (never the national identifier).
    public var identifiers: [RegisteredIdentifier] = []
    /// Every binding, oldest first (current ones have `to == nil`).
    public var devices: [DeviceBinding] = []
    public var thresholds = ThresholdSet.none
    public var thresholdVersion = 0
    /// Gateway reading key → reading event id of the retained readings, for idempotent ingest.
    public var readingKeys: [String: UUID] = [:]
    /// The retained readings (`retainedPerKind` per kind).
    public var readings: [UUID: Reading] = [:]
    /// Per kind, the retained readings, earliest measured first.
    public var retained: [MeasurementKind: [ReadingStamp]] = [:]
    /// Every voided reading, retained or not.
    public var voided: Set<UUID> = []
    /// Non-void retained weights, in arrival order.
    public var weights: [WeightSample] = []
    /// The latest measured time of a non-void reading, per kind.
    public var lastMeasured: [MeasurementKind: Date] = [:]
    public var alerts: [UUID: Alert] = [:]
    /// Rule → id of its active (not resolved) alert.
    public var activeAlertByRule: [AlertRule: UUID] = [:]
    /// Kind → the gap start of the last overdue alert raised, so one gap never alerts twice.
    public var overdueRaisedSince: [MeasurementKind: Date] = [:]
    /// Number of events folded: the stream version to expect on the next append.
    public var version: Int64 = 0

    public static let initial = PatientState()

    public var isDischarged: Bool { dischargedAt != nil }

    /// The reading event id stored for a gateway's reading id, if it was seen before:
    /// the caller answers `duplicate` with it.
    public func existingReading(gateway: UUID?, gatewayReadingID: String) -> UUID? {
        readingKeys[DeterministicID.gatewayReadingKey(gateway: gateway, gatewayReadingID: gatewayReadingID)]
    }

    /// The active alert of `rule`, if any.
    public func activeAlert(rule: AlertRule) -> Alert? { activeAlertByRule[rule].flatMap { alerts[$0] } }

    /// Devices bound now.
    public var boundDevices: [DeviceBinding] { devices.filter { $0.to == nil } }
}
