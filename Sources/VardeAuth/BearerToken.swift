/// Reads the credential out of an `Authorization: Bearer <token>` header (RFC 6750 §2.1).
public enum BearerToken {
    /// The token, or `nil` when the header is absent, uses another scheme, or the
    /// credential has characters outside RFC 6750's `b64token` syntax.
    /// The scheme name is matched case-insensitively.
    public static func extract(from authorizationHeader: String?) -> String? {
        guard let header = authorizationHeader?.utf8 else { return nil }
        let scheme = "bearer".utf8
        guard header.count > scheme.count + 1,
            zip(header, scheme).allSatisfy({ lowercased($0) == $1 }),
            header.dropFirst(scheme.count).first == UInt8(ascii: " ")
        else { return nil }
        let credential = header.dropFirst(scheme.count)
            .drop(while: isSpace)
            .reversed().drop(while: isSpace).reversed()
        guard isB64Token(credential) else { return nil }
        return String(decoding: credential, as: UTF8.self)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`
    private static func isB64Token(_ token: some Collection<UInt8>) -> Bool {
        guard let first = token.first, first != UInt8(ascii: "=") else { return false }
        var seenPadding = false
        for byte in token {
            switch byte {
            case UInt8(ascii: "="):
                seenPadding = true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                if seenPadding { return false }
            default:
                return false
            }
        }
        return true
    }
}
