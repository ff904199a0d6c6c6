import Foundation

/// A device was bound to the patient from `at`.
public struct DeviceBound: PatientEventBody {
    public static let type = "DeviceBound"
    public var serial: String
    /// Free-form device kind, e.g. `bloodPressureMonitor`, `pulseOximeter`, `scale`, `thermometer`.
    public var kind: String
    public var at: Date
    /// Further names of the device (EUI-64, Bluetooth address), normalised; absent in
    /// bindings made before devices had them.
    public var identifiers: [RegisteredIdentifier]?

    public init(serial: String, kind: String, at: Date, identifiers: [RegisteredIdentifier]? = nil) {
        self.serial = serial
        self.kind = kind
        self.at = at
        self.identifiers = identifiers
    }
}

/// A gateway described a bound device (its PHD `Device` resource) differently
/// from what the binding held: the first time it was seen, or after a change.
public struct DeviceDescribed: PatientEventBody {
    public static let type = "DeviceDescribed"
    public var serial: String
    public var description: DeviceDescription
    public var at: Date

    public init(serial: String, description: DeviceDescription, at: Date) {
        self.serial = serial
        self.description = description
        self.at = at
    }
}

/// A device was unbound from the patient at `at`.
public struct DeviceUnbound: PatientEventBody {
    public static let type = "DeviceUnbound"
    public var serial: String
    public var kind: String
    public var at: Date

    public init(serial: String, kind: String, at: Date) {
        self.serial = serial
        self.kind = kind
        self.at = at
    }
}
