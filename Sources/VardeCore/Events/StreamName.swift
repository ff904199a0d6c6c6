import Foundation

/// Stream ids follow message-db's category convention: `<category>-<id>`.
public enum StreamName {
    public static func patient(_ id: UUID) -> String { "patient-\(id.lowercasedText)" }
    public static func team(_ id: UUID) -> String { "team-\(id.lowercasedText)" }
    public static func gateway(_ id: UUID) -> String { "gateway-\(id.lowercasedText)" }

    /// The category part of a stream id (`patient` for `patient-…`).
    public static func category(of stream: String) -> Substring {
        stream.prefix { $0 != "-" }
    }

    /// The UUID after the category, if the stream has one.
    public static func id(of stream: String) -> UUID? {
        guard let dash = stream.firstIndex(of: "-") else { return nil }
        return UUID(text: String(stream[stream.index(after: dash)...]))
    }
}
