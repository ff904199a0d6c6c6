/// How PHD gateways name devices (HL7 PHD IG, `PhdDevice`/`PhgDevice`):
/// the IEEE 11073 system id, an EUI-64, and the Bluetooth address, an EUI-48,
/// each as capitalised hex pairs joined by dashes (`00-1C-05-04-00-00-78-25`).
/// Clinicians type them from a label, so colons, lower case or no separators
/// are read too and stored in the IG's form: one device, one spelling.
public enum DeviceIdentity {
    public static let eui64System = "urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680"
    public static let bluetoothSystem = "http://hl7.org/fhir/sid/eui-48/bluetooth"

    /// The identifier in its stored spelling; nil for an EUI-64 or Bluetooth
    /// address that does not have 8 or 6 bytes. Other systems keep their value.
    public static func normalized(_ identifier: RegisteredIdentifier) -> RegisteredIdentifier? {
        let bytes: Int
        switch identifier.system {
        case eui64System: bytes = 8
        case bluetoothSystem: bytes = 6
        default: return identifier
        }
        let hex = identifier.value.uppercased().filter { $0 != "-" && $0 != ":" && $0 != " " }
        guard hex.count == bytes * 2, hex.allSatisfy(\.isHexDigit) else { return nil }
        var pairs: [String] = []
        var rest = Substring(hex)
        while !rest.isEmpty {
            pairs.append(String(rest.prefix(2)))
            rest = rest.dropFirst(2)
        }
        return RegisteredIdentifier(system: identifier.system, value: pairs.joined(separator: "-"))
    }
}
