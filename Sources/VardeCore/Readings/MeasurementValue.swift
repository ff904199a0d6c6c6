/// A measurement in Varde's canonical units: mm[Hg], %, kg, /min, Cel.
public enum MeasurementValue: Equatable, Sendable, Hashable {
    case bloodPressure(systolic: Double, diastolic: Double, pulse: Double?)
    case spo2(percent: Double)
    case weight(kg: Double)
    case pulse(perMinute: Double)
    case temperature(celsius: Double)

    public var kind: MeasurementKind {
        switch self {
        case .bloodPressure: .bloodPressure
        case .spo2: .spo2
        case .weight: .weight
        case .pulse: .pulse
        case .temperature: .temperature
        }
    }
}

extension MeasurementValue: Codable {
    private enum CodingKeys: String, CodingKey { case kind, value, systolic, diastolic, pulse }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(MeasurementKind.self, forKey: .kind) {
        case .bloodPressure:
            self = .bloodPressure(
                systolic: try c.decode(Double.self, forKey: .systolic),
                diastolic: try c.decode(Double.self, forKey: .diastolic),
                pulse: try c.decodeIfPresent(Double.self, forKey: .pulse))
        case .spo2: self = .spo2(percent: try c.decode(Double.self, forKey: .value))
        case .weight: self = .weight(kg: try c.decode(Double.self, forKey: .value))
        case .pulse: self = .pulse(perMinute: try c.decode(Double.self, forKey: .value))
        case .temperature: self = .temperature(celsius: try c.decode(Double.self, forKey: .value))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case .bloodPressure(let systolic, let diastolic, let pulse):
            try c.encode(systolic, forKey: .systolic)
            try c.encode(diastolic, forKey: .diastolic)
            try c.encodeIfPresent(pulse, forKey: .pulse)
        case .spo2(let v), .weight(let v), .pulse(let v), .temperature(let v):
            try c.encode(v, forKey: .value)
        }
    }
}
