import Foundation

/// A JWT payload's claims, with JSON `null` treated as absent.
struct ClaimSet {
    private let members: [String: JSONValue]

    init(_ members: [String: JSONValue]) {
        self.members = members
    }

    subscript(name: String) -> JSONValue? {
        if let value = members[name], value != .null { value } else { nil }
    }

    /// A NumericDate claim (RFC 7519 §2) in seconds since 1970, if present.
    func numericDate(_ name: String) throws(AuthError) -> Double? {
        switch self[name] {
        case nil: return nil
        case .number(let seconds)?: return seconds
        default: throw .invalidClaim(name)
        }
    }

    /// A claim that is a string or an array of strings, as a list; `nil` if absent.
    func strings(_ name: String) throws(AuthError) -> [String]? {
        switch self[name] {
        case nil:
            return nil
        case .string(let value)?:
            return [value]
        case .array(let values)?:
            var strings: [String] = []
            for value in values {
                guard case .string(let string) = value else { throw .invalidClaim(name) }
                strings.append(string)
            }
            return strings
        default:
            throw .invalidClaim(name)
        }
    }
}
