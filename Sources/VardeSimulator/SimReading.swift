import Foundation
import VardeCore

/// One reading a gateway sends, and the truth behind it.
public struct SimReading: Sendable, Equatable {
    public var index: Int
    /// The gateway's reading id (unique in a run; a resend repeats it).
    public var id: String
    /// The patient the server files it under: the one the device is bound to.
    public var patient: Int
    /// Whose body it measured (another patient's after a device handover).
    public var measuredBy: Int
    public var device: DeviceKind
    public var value: MeasurementValue
    public var measuredAt: Date
    /// The episode that shaped it (nil: the patient's usual self, noise and artefacts included).
    public var episode: Int?
}

/// One request a gateway makes.
public struct Upload: Sendable, Equatable {
    public var index: Int
    /// The patient whose gateway (hub, app) sends it: picks the transport and the team's gateway key.
    public var hub: Int
    public var transport: Transport
    public var sendAt: Date
    /// Readings, in the order the gateway lists them.
    public var readings: [Int]
    /// A resend of an earlier upload (the same body again).
    public var resendOf: Int?
}
