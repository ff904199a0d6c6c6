import Foundation

/// Reads an object's members the way synthesized `Decodable` does — a
/// required member must be present with the right kind, an optional one may
/// be absent or null — for the hand-written fast decoders. Any mismatch
/// clears `ok`; the caller then falls back to `JSONDecoder`.
struct JSONFields {
    private let members: [JSONMember]
    private(set) var ok = true

    init?(_ value: JSONValue?) {
        guard case .object(let members) = value else { return nil }
        self.members = members
    }

    func member(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }

    mutating func required<T>(_ key: String, _ read: (JSONValue) -> T?) -> T? {
        guard let value = member(key), let result = read(value) else {
            ok = false
            return nil
        }
        return result
    }

    mutating func optional<T>(_ key: String, _ read: (JSONValue) -> T?) -> T? {
        guard let value = member(key), !value.isNull else { return nil }
        guard let result = read(value) else {
            ok = false
            return nil
        }
        return result
    }

    static func string(_ v: JSONValue) -> String? { v.string }
    static func number(_ v: JSONValue) -> Double? { v.number }
    static func uuid(_ v: JSONValue) -> UUID? { v.string.flatMap(UUID.init(text:)) }
    static func date(_ v: JSONValue) -> Date? { v.string.flatMap(EventDate.parse) }
}
