import Foundation

/// The reading as the gateway sent it (unit and numbers before conversion), kept for audit.
public struct ReadingAsSent: Codable, Equatable, Sendable {
    public var unit: String
    public var value: Double?
    public var systolic: Double?
    public var diastolic: Double?
    public var pulse: Double?

    public init(unit: String, value: Double? = nil, systolic: Double? = nil, diastolic: Double? = nil, pulse: Double? = nil) {
        self.unit = unit
        self.value = value
        self.systolic = systolic
        self.diastolic = diastolic
        self.pulse = pulse
    }
}

/// A validated reading was stored. `readingId` is also the event's envelope id.
public struct ReadingRecorded: PatientEventBody {
    public static let type = "ReadingRecorded"
    public var readingId: UUID
    public var gatewayReadingId: String
    public var gateway: UUID?
    public var deviceSerial: String?
    public var measuredAt: Date
    public var receivedAt: Date
    /// Canonical units.
    public var value: MeasurementValue
    public var asSent: ReadingAsSent
    /// Seconds the measuring device's clock was ahead of the gateway's (behind when
    /// negative) when the gateway read it (a PHD coincident timestamp), when known.
    /// `measuredAt` is on the gateway's timeline already; this keeps the device's
    /// own time recoverable (`measuredAt + clockOffset`) and shows a drifting clock.
    public var clockOffset: Double?

    public init(
        readingId: UUID, gatewayReadingId: String, gateway: UUID?, deviceSerial: String?, measuredAt: Date, receivedAt: Date,
        value: MeasurementValue, asSent: ReadingAsSent, clockOffset: Double? = nil
    ) {
        self.readingId = readingId
        self.gatewayReadingId = gatewayReadingId
        self.gateway = gateway
        self.deviceSerial = deviceSerial
        self.measuredAt = measuredAt
        self.receivedAt = receivedAt
        self.value = value
        self.asSent = asSent
        self.clockOffset = clockOffset
    }

    /// The idempotency key (see `DeterministicID.gatewayReadingKey`).
    public var gatewayReadingKey: String { DeterministicID.gatewayReadingKey(gateway: gateway, gatewayReadingID: gatewayReadingId) }
}

/// A reading was marked as entered in error. It stays in the log.
public struct ReadingVoided: PatientEventBody {
    public static let type = "ReadingVoided"
    public var readingId: UUID
    public var reason: String
    public var by: ActorRef
    public var at: Date

    public init(readingId: UUID, reason: String, by: ActorRef, at: Date) {
        self.readingId = readingId
        self.reason = reason
        self.by = by
        self.at = at
    }
}
