/// Lowercase hexadecimal, as PostgreSQL prints `bytea`.
public enum Hex {
    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode<S: Collection>(_ text: S) -> [UInt8] where S.Element == UInt8 {
        func nibble(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: 0
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(text.count / 2)
        var iterator = text.makeIterator()
        while let hi = iterator.next(), let lo = iterator.next() {
            out.append(nibble(hi) << 4 | nibble(lo))
        }
        return out
    }
}
