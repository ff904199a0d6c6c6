/// PostgreSQL array literals for `$n::text[]` / `$n::uuid[]` parameters.
public enum PGArray {
    public static func text(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}
