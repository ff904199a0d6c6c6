import Foundation

/// The rule an alert judges by. Stored (in events and read models) as its
/// string: `spo2.low`, `systolic.low`, `systolic.high`, `diastolic.high`,
/// `pulse.low`, `pulse.high`, `temperature.low`, `temperature.high`,
/// `weight.gain` or `overdue.<kind>`.
public enum AlertRule: Hashable, Sendable {
    case spo2Low, systolicLow, systolicHigh, diastolicHigh, pulseLow, pulseHigh, temperatureLow, temperatureHigh
    case weightGain
    /// No reading of the kind for its interval plus grace.
    case overdue(MeasurementKind)
    /// A rule string this build does not know, kept as written so an event carrying
    /// one still decodes and encodes unchanged (as it did when rules were strings).
    /// `init(rawValue:)` never produces it for a string a known rule spells.
    case unrecognised(String)

    /// How the rule judges.
    public enum Direction: String, Sendable, CaseIterable {
        /// At or below a lower bound (a lower value is worse).
        case low
        /// At or above an upper bound.
        case high
        /// A gain over a baseline.
        case gain
        /// A measurement missing for too long.
        case overdue
    }

    /// Every rule this build raises, in a stable order.
    public static let allKnown: [AlertRule] =
        [.spo2Low, .systolicLow, .systolicHigh, .diastolicHigh, .pulseLow, .pulseHigh, .temperatureLow, .temperatureHigh, .weightGain]
        + MeasurementKind.allCases.map(AlertRule.overdue)

    /// Parses the stored string; a string no known rule spells gives `.unrecognised`.
    public init(rawValue: String) {
        switch rawValue {
        case "spo2.low": self = .spo2Low
        case "systolic.low": self = .systolicLow
        case "systolic.high": self = .systolicHigh
        case "diastolic.high": self = .diastolicHigh
        case "pulse.low": self = .pulseLow
        case "pulse.high": self = .pulseHigh
        case "temperature.low": self = .temperatureLow
        case "temperature.high": self = .temperatureHigh
        case "weight.gain": self = .weightGain
        default:
            if rawValue.hasPrefix("overdue."), let kind = MeasurementKind(rawValue: String(rawValue.dropFirst("overdue.".count))) {
                self = .overdue(kind)
            } else {
                self = .unrecognised(rawValue)
            }
        }
    }

    /// The stored string.
    public var rawValue: String {
        switch self {
        case .spo2Low: "spo2.low"
        case .systolicLow: "systolic.low"
        case .systolicHigh: "systolic.high"
        case .diastolicHigh: "diastolic.high"
        case .pulseLow: "pulse.low"
        case .pulseHigh: "pulse.high"
        case .temperatureLow: "temperature.low"
        case .temperatureHigh: "temperature.high"
        case .weightGain: "weight.gain"
        case .overdue(let kind): "overdue.\(kind.rawValue)"
        case .unrecognised(let text): text
        }
    }

    /// How the rule judges; nil for an unrecognised rule.
    public var direction: Direction? {
        switch self {
        case .spo2Low, .systolicLow, .pulseLow, .temperatureLow: .low
        case .systolicHigh, .diastolicHigh, .pulseHigh, .temperatureHigh: .high
        case .weightGain: .gain
        case .overdue: .overdue
        case .unrecognised: nil
        }
    }

    /// Whether a lower observed value is worse (the low rules).
    public var lowerIsWorse: Bool { direction == .low }
}

extension AlertRule: Codable {
    /// Any string decodes (as when rules were strings); it encodes back as written.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension AlertRule: CustomStringConvertible {
    /// The stored string, so interpolation writes what the events hold.
    public var description: String { rawValue }
}
