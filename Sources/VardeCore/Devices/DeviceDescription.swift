/// What a PHD gateway reports about a device (its `Device` resource), kept
/// with the binding when first seen or when it changes (a firmware update):
/// who made it, which model, its firmware, and whether its clock is
/// synchronised, which tells how far its measured times can be trusted.
public struct DeviceDescription: Codable, Equatable, Sendable {
    public var manufacturer: String?
    public var model: String?
    public var serialNumber: String?
    public var firmware: String?
    /// The MDC code of its time synchronisation (property 68220), e.g.
    /// `532224` MDC_TIME_SYNC_NONE, `532226` MDC_TIME_SYNC_NTPV4.
    public var timeSync: String?
    /// The identifiers it reported (EUI-64, Bluetooth address), normalised.
    public var identifiers: [RegisteredIdentifier]?

    public init(
        manufacturer: String? = nil, model: String? = nil, serialNumber: String? = nil, firmware: String? = nil,
        timeSync: String? = nil, identifiers: [RegisteredIdentifier]? = nil
    ) {
        self.manufacturer = manufacturer
        self.model = model
        self.serialNumber = serialNumber
        self.firmware = firmware
        self.timeSync = timeSync
        self.identifiers = identifiers
    }

    /// MDC_TIME_SYNC_NONE: the device's clock is whatever it was set to.
    public static let noTimeSync = "532224"

    /// Whether the device said its clock is not synchronised.
    public var hasNoTimeSync: Bool { timeSync == Self.noTimeSync }
}
