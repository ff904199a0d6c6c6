/// A Norwegian fødselsnummer or D-nummer, checked with both mod-11 check digits.
///
/// Accepts ordinary numbers, D-numbers (day + 40), Test-Norge synthetic numbers
/// (month + 80) and numbers issued from 2032 whose first check digit may be any
/// value making the weighted sum ≡ 0…3 (mod 11). `description` is redacted so the
/// value cannot leak into a log line by accident.
public struct NationalIdentifier: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case fodselsnummer
        case dNummer
    }

    /// The 11 digits.
    public let value: String
    public let kind: Kind

    public static let fodselsnummerSystem = "urn:oid:2.16.578.1.12.4.1.4.1"
    public static let dNummerSystem = "urn:oid:2.16.578.1.12.4.1.4.2"

    public var system: String { kind == .dNummer ? Self.dNummerSystem : Self.fodselsnummerSystem }
    public var description: String { "NationalIdentifier(redacted)" }

    public init(_ text: String) throws(DomainError) {
        let digits = text.utf8.compactMap { (48...57).contains($0) ? Int($0 - 48) : nil }
        guard text.utf8.count == 11, digits.count == 11 else {
            throw .invalid(field: "/nationalId", reason: "must be 11 digits")
        }
        guard Self.checkDigitsValid(digits) else {
            throw .invalid(field: "/nationalId", reason: "check digits do not match")
        }
        var day = digits[0] * 10 + digits[1]
        var month = digits[2] * 10 + digits[3]
        let isD = day > 40
        if isD { day -= 40 }
        if month > 80 {
            month -= 80
        }  // Test-Norge synthetic
        else if month > 40 {
            month -= 40
        }  // Skatteetaten synthetic (H-variant)
        let daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...daysInMonth[month - 1]).contains(day) else {
            throw .invalid(field: "/nationalId", reason: "not a valid date of birth")
        }
        self.value = text
        self.kind = isD ? .dNummer : .fodselsnummer
    }

    private static let weights1 = [3, 7, 6, 1, 8, 9, 4, 5, 2]
    private static let weights2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]

    static func checkDigitsValid(_ d: [Int]) -> Bool {
        let sum1 = zip(d[0..<9], weights1).reduce(0) { $0 + $1.0 * $1.1 }
        // Classic rule: k1 = 11 − sum mod 11 (11 → 0, 10 invalid). From 2032 the
        // sum including k1 may be ≡ 0, 1, 2 or 3 (mod 11); the classic rule is the 0 case.
        guard [0, 1, 2, 3].contains((sum1 + d[9]) % 11) else { return false }
        let sum2 = zip(d[0..<10], weights2).reduce(0) { $0 + $1.0 * $1.1 }
        return (sum2 + d[10]) % 11 == 0
    }
}
