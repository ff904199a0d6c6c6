import Foundation

/// Who a submitted reading is about, as the gateway named it.
public enum SubjectReference: Equatable, Sendable {
    case patient(UUID)
    case device(serial: String)
    /// Fødselsnummer or D-nummer (FHIR subject by identifier). Never logged.
    case nationalID(String)
}

/// One reading as a gateway sent it, before validation: units as sent.
/// Both the native JSON API and the FHIR mapping produce this.
public struct ReadingSubmission: Equatable, Sendable {
    /// The gateway's own id for the reading (native `id`, FHIR identifier `system|value`).
    public var gatewayReadingID: String
    public var subject: SubjectReference
    /// The device that measured, when known besides the subject.
    public var deviceSerial: String?
    public var measuredAt: Date
    /// For a reading known only by its date (a FHIR date-only time): the end of
    /// that day. `measuredAt` is then the day's start, and the device binding that
    /// judges it is the one in force latest that day, not the one at its start.
    public var measuredBefore: Date?
    public var kind: MeasurementKind
    /// UCUM code as sent (`mm[Hg]`, `kPa`, `%`, `kg`, `g`, `[lb_av]`, `/min`, `Cel`, `[degF]`).
    public var unit: String
    /// Single value for spo2, weight, pulse, temperature.
    public var value: Double?
    /// Blood pressure components, in `unit`.
    public var systolic: Double?
    public var diastolic: Double?
    /// Optional pulse beside a blood pressure, always /min.
    public var pulse: Double?
    /// The device clock's offset from the gateway's, in seconds, from a PHD
    /// coincident timestamp (see `ReadingRecorded.clockOffset`).
    public var clockOffset: Double?

    public init(
        gatewayReadingID: String, subject: SubjectReference, deviceSerial: String? = nil, measuredAt: Date,
        kind: MeasurementKind, unit: String, value: Double? = nil, systolic: Double? = nil,
        diastolic: Double? = nil, pulse: Double? = nil
    ) {
        self.gatewayReadingID = gatewayReadingID
        self.subject = subject
        self.deviceSerial = deviceSerial
        self.measuredAt = measuredAt
        self.kind = kind
        self.unit = unit
        self.value = value
        self.systolic = systolic
        self.diastolic = diastolic
        self.pulse = pulse
    }
}

extension SubjectReference {
    /// Where a native reading names its subject.
    public var pointer: String {
        switch self {
        case .patient: "/patientId"
        case .device: "/deviceSerial"
        case .nationalID: "/subject"
        }
    }
}
