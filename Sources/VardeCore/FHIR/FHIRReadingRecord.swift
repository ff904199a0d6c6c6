import Foundation

/// A stored reading, as needed to render it as a FHIR Observation.
public struct FHIRReadingRecord: Equatable, Sendable {
    /// The `ReadingRecorded` event id; becomes `Observation.id`.
    public var eventID: UUID
    public var patientID: UUID
    /// Canonical units.
    public var value: MeasurementValue
    public var measuredAt: Date
    public var receivedAt: Date
    public var deviceSerial: String?
    public var gatewayReadingID: String
    /// Rendered as `entered-in-error`.
    public var voided: Bool

    public init(
        eventID: UUID, patientID: UUID, value: MeasurementValue, measuredAt: Date, receivedAt: Date,
        deviceSerial: String? = nil, gatewayReadingID: String, voided: Bool = false
    ) {
        self.eventID = eventID
        self.patientID = patientID
        self.value = value
        self.measuredAt = measuredAt
        self.receivedAt = receivedAt
        self.deviceSerial = deviceSerial
        self.gatewayReadingID = gatewayReadingID
        self.voided = voided
    }
}
