import Foundation

extension Data {
    /// Decodes base64url (RFC 4648 §5), as JWS, JWK and the API's cursors use it.
    ///
    /// Only the base64url alphabet is accepted; trailing `=` padding only when
    /// `allowPadding` is set (JWS forbids it; some JWKS documents carry it).
    public init?(base64URLEncoded text: some StringProtocol, allowPadding: Bool = false) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 3)
        var utf8 = Substring(text).utf8[...]
        if allowPadding {
            while utf8.last == UInt8(ascii: "=") { utf8.removeLast() }
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                bytes.append(byte)
            case UInt8(ascii: "-"): bytes.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): bytes.append(UInt8(ascii: "/"))
            default: return nil
            }
        }
        switch bytes.count % 4 {
        case 0: break
        case 2: bytes.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "=")])
        case 3: bytes.append(UInt8(ascii: "="))
        default: return nil
        }
        self.init(base64Encoded: Data(bytes))
    }

    /// Unpadded base64url text of these bytes.
    public func base64URLEncodedString() -> String {
        var text = base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-")
        text = text.replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }
}
