/// What text a field may hold. `StrictJSON` already refuses every control
/// character but tab, line feed and carriage return in a request; these
/// rules add what each kind of field allows on top.
public enum TextRules {
    /// C0 (tab and line breaks included), DEL and C1.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// An identifier or a name (a reading id, a serial, a team's name): one
    /// line, no control character at all.
    public static func isSingleLine(_ text: some StringProtocol) -> Bool {
        !text.unicodeScalars.contains(where: isControl)
    }

    /// Free text (a note, a reason): line breaks and tabs allowed, no other
    /// control character.
    public static func isFreeText(_ text: some StringProtocol) -> Bool {
        !text.unicodeScalars.contains { isControl($0) && $0 != "\n" && $0 != "\r" && $0 != "\t" }
    }
}
