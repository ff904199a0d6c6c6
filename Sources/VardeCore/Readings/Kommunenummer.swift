/// A Norwegian municipality number: exactly four ASCII digits, leading zero kept
/// (`0301` Oslo, `4601` Bergen, `5001` Trondheim). `0000` is not a kommune.
///
/// Only the form is checked, not a register: numbers change at municipal reforms.
/// Encodes as a plain JSON string.
public struct Kommunenummer: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The four digits, e.g. `0301`.
    public let value: String

    public init(_ text: String) throws(DomainError) {
        guard text.utf8.count == 4, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw .invalid(field: "/kommunenummer", reason: "must be exactly 4 digits")
        }
        guard text != "0000" else {
            throw .invalid(field: "/kommunenummer", reason: "0000 is not a kommune")
        }
        self.value = text
    }

    public var description: String { value }

    public static func < (lhs: Kommunenummer, rhs: Kommunenummer) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
