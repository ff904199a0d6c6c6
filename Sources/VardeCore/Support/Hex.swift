/// Lowercase hexadecimal, as PostgreSQL prints `bytea` and UUIDs.
///
/// Inlinable: the store decodes every event's hash with it, and a generic
/// function called from another module is otherwise neither specialised nor
/// inlined (moving this here from VardeStore made the hash-chain check three
/// times slower).
public enum Hex {
    /// The lowercase digit for a value 0...15.
    @inlinable public static func digit(_ v: UInt8) -> UInt8 { v < 10 ? 48 + v : 87 + v }

    /// The value of a hex digit of either case; nil for anything else.
    @inlinable public static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    @inlinable public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digit(b >> 4))
            out.append(digit(b & 0x0f))
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable public static func decode<S: Collection>(_ text: S) -> [UInt8] where S.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(text.count / 2)
        var iterator = text.makeIterator()
        while let hi = iterator.next(), let lo = iterator.next() {
            out.append((value(hi) ?? 0) << 4 | (value(lo) ?? 0))
        }
        return out
    }
}
