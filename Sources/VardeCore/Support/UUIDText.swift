import Foundation

extension UUID {
    /// Parses the 36-character text form (`8-4-4-4-12` hex digits, either
    /// case). Same result as `UUID(uuidString:)`, without Foundation's
    /// `sscanf`-based parser: every event read from the log goes through it.
    public init?(text: String) {
        var text = text
        let parsed: uuid_t? = text.withUTF8 { p in
            guard p.count == 36, p[8] == 45, p[13] == 45, p[18] == 45, p[23] == 45 else { return nil }
            var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let ok = withUnsafeMutableBytes(of: &value) { out -> Bool in
                var i = 0
                for n in 0..<16 {
                    if i == 8 || i == 13 || i == 18 || i == 23 { i += 1 }
                    guard let high = Hex.value(p[i]), let low = Hex.value(p[i + 1]) else { return false }
                    out[n] = high << 4 | low
                    i += 2
                }
                return true
            }
            return ok ? value : nil
        }
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }

    /// The 36-character text form in lower case, as PostgreSQL prints it
    /// (Foundation's `uuidString` is upper case and goes through `snprintf`).
    public var lowercasedText: String {
        String(unsafeUninitializedCapacity: 36) { out in
            var i = 0
            withUnsafeBytes(of: uuid) { raw in
                for (n, b) in raw.enumerated() {
                    if n == 4 || n == 6 || n == 8 || n == 10 {
                        out[i] = UInt8(ascii: "-")
                        i += 1
                    }
                    out[i] = Hex.digit(b >> 4)
                    out[i + 1] = Hex.digit(b & 15)
                    i += 2
                }
            }
            return 36
        }
    }
}
