import Foundation

/// Builds JSON text by hand for what is written in bulk (the projector's
/// rows), in the style of `EventJSON.encoder`: nil members left out, whole
/// numbers without a fraction, instants as `EventDate`; UUIDs in lower case,
/// as PostgreSQL prints them. Commas are placed by the writer.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var first = true

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separate() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        first = true
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    public mutating func array<S: Sequence>(_ items: S, _ item: (inout JSONWriter, S.Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        first = true
        for element in items { item(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// Starts a member; the next value written is its value.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        first = true
    }

    public mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        first = true
    }

    public mutating func string(_ s: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(c)
            case 0..<0x20:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 48, 48, Hex.digit(c >> 4), Hex.digit(c & 15)])
            default:
                bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func uuid(_ u: UUID) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: u.lowercasedText.utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func date(_ d: Date) { string(EventDate.format(d)) }

    public mutating func number(_ n: Double) {
        separate()
        if n.rounded() == n, abs(n) < 9_007_199_254_740_992 {
            bytes.append(contentsOf: String(Int64(n)).utf8)
        } else {
            bytes.append(contentsOf: n.description.utf8)
        }
    }

    public mutating func number(_ n: Int64) {
        separate()
        bytes.append(contentsOf: String(n).utf8)
    }

    public mutating func number(_ n: Int) { number(Int64(n)) }

    public mutating func bool(_ b: Bool) {
        separate()
        bytes.append(contentsOf: (b ? "true" : "false").utf8)
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Text that already is JSON (e.g. a fragment encoded once and kept).
    public mutating func raw(_ json: String) {
        separate()
        bytes.append(contentsOf: json.utf8)
    }

    // Members that are left out when nil, as synthesized `Encodable` does.

    public mutating func member(_ name: StaticString, _ s: String?) {
        if let s {
            key(name)
            string(s)
        }
    }
    public mutating func member(_ name: StaticString, _ u: UUID?) {
        if let u {
            key(name)
            uuid(u)
        }
    }
    public mutating func member(_ name: StaticString, _ n: Double?) {
        if let n {
            key(name)
            number(n)
        }
    }
    public mutating func member(_ name: StaticString, _ n: Int64) {
        key(name)
        number(n)
    }
    public mutating func member(_ name: StaticString, _ n: Int) {
        key(name)
        number(n)
    }
    public mutating func member(_ name: StaticString, _ b: Bool) {
        key(name)
        bool(b)
    }
    public mutating func member(_ name: StaticString, uuids: [UUID]) {
        key(name)
        array(uuids) { $0.uuid($1) }
    }
}
