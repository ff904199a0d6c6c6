import Foundation

/// A business identifier (system + value) by which an outside system names a
/// patient or a device: a gateway's own patient id, a device's IEEE EUI-64
/// system id or Bluetooth address. A clinician registers them; a PHD gateway's
/// conditional creates (`ifNoneExist=identifier=system|value`) are resolved by
/// them. Values are identifiers, so they are never logged.
public struct RegisteredIdentifier: Codable, Equatable, Hashable, Sendable, Comparable {
    public var system: String
    public var value: String

    public init(system: String, value: String) {
        self.system = system
        self.value = value
    }

    /// `system|value`, the FHIR token form.
    public var token: String { system + "|" + value }

    /// The FHIR token `system|value` (the system is required: a bare value names nothing reliably).
    public init?(token: String) {
        guard let bar = token.firstIndex(of: "|") else { return nil }
        let system = String(token[..<bar]).trimmingCharacters(in: .whitespacesAndNewlines),
            value = String(token[token.index(after: bar)...]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !system.isEmpty, !value.isEmpty else { return nil }
        self.init(system: system, value: value)
    }

    public static func < (a: Self, b: Self) -> Bool { (a.system, a.value) < (b.system, b.value) }
}
