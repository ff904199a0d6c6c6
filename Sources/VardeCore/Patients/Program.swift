/// The follow-up program a patient is enrolled in; it picks the default thresholds and plan.
public enum Program: String, Codable, Sendable, CaseIterable, Hashable {
    case kols
    case hjertesvikt
    case hypertensjon
    case generell
}
