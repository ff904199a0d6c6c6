/// The five kinds of home measurement Varde accepts.
public enum MeasurementKind: String, Codable, Sendable, CaseIterable, Hashable {
    case bloodPressure
    case spo2
    case weight
    case pulse
    case temperature
}
