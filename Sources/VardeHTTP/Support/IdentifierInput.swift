import VardeCore

/// An identifier as a clinician gives one (`{"system": …, "value": …}`): a
/// patient's registered identifier or a device's EUI-64 or Bluetooth address.
struct IdentifierInput: Decodable {
    var system: String
    var value: String

    /// At most 10; each system and value 1–200 characters on one line,
    /// trimmed. Refusals point at `/identifiers/<i>/…`.
    static func checked(_ given: [IdentifierInput]) throws -> [RegisteredIdentifier] {
        guard given.count <= 10 else { throw Problem.invalid("at most 10 identifiers", pointer: "/identifiers") }
        return try given.enumerated().map { i, g in
            let system = g.system.trimmingCharacters(in: .whitespaces), value = g.value.trimmingCharacters(in: .whitespaces)
            for (field, text) in [("system", system), ("value", value)]
            where !(1...200).contains(text.count) || !TextRules.isSingleLine(text) {
                throw Problem.invalid("must be 1–200 characters on one line", pointer: "/identifiers/\(i)/\(field)")
            }
            return RegisteredIdentifier(system: system, value: value)
        }
    }
}
