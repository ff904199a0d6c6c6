import Foundation
import VardeCore

/// PostgreSQL array literals for `$n::text[]` / `$n::uuid[]` parameters.
public enum PGArray {
    public static func text(_ values: [String]) -> String {
        "{"
            + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }

    public static func uuid(_ values: some Sequence<UUID>) -> String {
        "{" + values.map(\.lowercasedText).joined(separator: ",") + "}"
    }
}
