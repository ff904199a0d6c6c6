/// Alert colour. Yellow: signs of deterioration; red: act now. `yellow < red`.
public enum Severity: String, Codable, Sendable, CaseIterable, Hashable, Comparable {
    case yellow
    case red

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .yellow && rhs == .red }
}
