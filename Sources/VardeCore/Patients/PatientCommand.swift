import Foundation

/// A reading that passed validation, ready to be recorded.
public struct ReadingToRecord: Equatable, Sendable {
    /// The envelope id: `DeterministicID.readingEventID(gateway:gatewayReadingID:)`.
    public var readingEventID: UUID
    public var gatewayReadingID: String
    public var gateway: UUID?
    public var deviceSerial: String?
    public var measuredAt: Date
    /// For a reading known only by its date: the end of that day (see `ReadingContent`).
    public var measuredBefore: Date?
    /// Canonical units.
    public var value: MeasurementValue
    public var asSent: ReadingAsSent
    /// The device clock's offset from the gateway's, in seconds (see `ReadingRecorded.clockOffset`).
    public var clockOffset: Double?

    public init(
        readingEventID: UUID? = nil, gatewayReadingID: String, gateway: UUID?, deviceSerial: String? = nil, measuredAt: Date,
        measuredBefore: Date? = nil, value: MeasurementValue, asSent: ReadingAsSent, clockOffset: Double? = nil
    ) {
        self.readingEventID = readingEventID ?? DeterministicID.readingEventID(gateway: gateway, gatewayReadingID: gatewayReadingID)
        self.gatewayReadingID = gatewayReadingID
        self.gateway = gateway
        self.deviceSerial = deviceSerial
        self.measuredAt = measuredAt
        self.measuredBefore = measuredBefore
        self.value = value
        self.asSent = asSent
        self.clockOffset = clockOffset
    }
}

/// What a caller asks of a patient.
public enum PatientCommand: Equatable, Sendable {
    case enroll(patientID: UUID, nationalID: NationalIdentifier, kommunenummer: String, program: Program, teams: PatientTeams?)
    case assignTeams(kommune: UUID, sykehus: UUID?)
    case changeRouting(RoutingOption)
    case bindDevice(serial: String, kind: String, identifiers: [RegisteredIdentifier] = [])
    /// What a gateway reported about a bound device; recorded when it differs from what the binding holds.
    case describeDevice(serial: String, DeviceDescription)
    /// Replaces the identifiers outside systems know the patient by.
    case setIdentifiers([RegisteredIdentifier])
    case unbindDevice(serial: String)
    case recordReading(ReadingToRecord)
    /// `recorded`: the caller found the reading in the patient's stream (the
    /// read model, or the stream a replay folds), for a reading the state no
    /// longer retains (`PatientState.retainedPerKind`).
    case voidReading(readingID: UUID, reason: String, recorded: Bool = false)
    case changeThresholds(ThresholdSet, reason: String)
    case acknowledgeAlert(UUID, note: String?)
    case escalateAlert(UUID, note: String?)
    case resolveAlert(UUID, note: String?)
    case discharge(reason: String)
    /// The sweep: raise overdue alerts as of `context.now`.
    case checkOverdue
}

/// When and by whom a command is decided. `now` is the only clock `decide` sees.
public struct DecisionContext: Equatable, Sendable {
    public var now: Date
    public var actor: ActorRef
    /// The team the actor acts for, when team-scoped.
    public var team: UUID?

    public init(now: Date, actor: ActorRef, team: UUID? = nil) {
        self.now = now
        self.actor = actor
        self.team = team
    }
}
