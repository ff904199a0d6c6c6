import Foundation

/// What a gateway said about one reading, to tell a retry from a reused id:
/// the same gateway reading id with the same content is a duplicate (stored
/// once, answered with the first event id); with other content it is a
/// conflict naming the field, never a silent drop (gateways reuse ids after a
/// restart or with per-device counters).
public struct ReadingContent: Equatable, Sendable {
    public var measuredAt: Date
    /// For a reading known only by its date: the end of that day. Such a
    /// reading matches any time of its day (readings stored before date-only
    /// times meant midnight were stored at noon).
    public var measuredBefore: Date?
    public var kind: MeasurementKind
    /// Unit and numbers as sent, before conversion.
    public var asSent: ReadingAsSent
    /// The device, when known; a side that does not name one is not compared.
    public var deviceSerial: String?

    public init(measuredAt: Date, measuredBefore: Date? = nil, kind: MeasurementKind, asSent: ReadingAsSent, deviceSerial: String?) {
        self.measuredAt = EventDate.normalized(measuredAt)
        self.measuredBefore = measuredBefore
        self.kind = kind
        self.asSent = asSent
        self.deviceSerial = deviceSerial
    }

    /// The first field in which `other` differs, as a pointer into a native
    /// reading (`/measuredAt`, `/kind`, `/unit`, `/value`, `/systolic`,
    /// `/diastolic`, `/pulse`, `/deviceSerial`), or nil when both say the same.
    public func difference(from other: ReadingContent) -> String? {
        if !sameTime(other) { return "/measuredAt" }
        if kind != other.kind { return "/kind" }
        if asSent.unit != other.asSent.unit { return "/unit" }
        if asSent.value != other.asSent.value { return "/value" }
        if asSent.systolic != other.asSent.systolic { return "/systolic" }
        if asSent.diastolic != other.asSent.diastolic { return "/diastolic" }
        if asSent.pulse != other.asSent.pulse { return "/pulse" }
        if let a = deviceSerial, let b = other.deviceSerial, a != b { return "/deviceSerial" }
        return nil
    }

    private func sameTime(_ other: ReadingContent) -> Bool {
        if let end = measuredBefore { return measuredAt <= other.measuredAt && other.measuredAt < end }
        if let end = other.measuredBefore { return other.measuredAt <= measuredAt && measuredAt < end }
        return measuredAt == other.measuredAt
    }
}

extension ReadingRecorded {
    public var content: ReadingContent {
        ReadingContent(measuredAt: measuredAt, kind: value.kind, asSent: asSent, deviceSerial: deviceSerial)
    }
}

extension ReadingToRecord {
    public var content: ReadingContent {
        ReadingContent(measuredAt: measuredAt, measuredBefore: measuredBefore, kind: value.kind, asSent: asSent, deviceSerial: deviceSerial)
    }
}

extension ReadingSubmission {
    /// As sent; the kind is the one the gateway named.
    public var content: ReadingContent {
        ReadingContent(
            measuredAt: measuredAt, measuredBefore: measuredBefore, kind: kind,
            asSent: ReadingAsSent(unit: unit, value: value, systolic: systolic, diastolic: diastolic, pulse: pulse),
            deviceSerial: deviceSerial)
    }
}
