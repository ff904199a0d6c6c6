import Foundation

/// A device was bound to the patient from `at`.
public struct DeviceBound: PatientEventBody {
    public static let type = "DeviceBound"
    public var serial: String
    /// Free-form device kind, e.g. `bloodPressureMonitor`, `pulseOximeter`, `scale`, `thermometer`.
    public var kind: String
    public var at: Date

    public init(serial: String, kind: String, at: Date) {
        self.serial = serial
        self.kind = kind
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
