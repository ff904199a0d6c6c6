import Foundation

/// The gate every JSON request body passes before it is decoded: one pass over
/// the bytes that refuses what `JSONDecoder` would accept silently or what
/// PostgreSQL would refuse later (a 500 after part of the work):
///
/// - malformed (400): invalid UTF-8, a lone surrogate escape, syntax errors,
///   a key given twice in one object (the decoder would keep one of them),
///   nesting deeper than `maxDepth`;
/// - invalid values (422): control characters in strings (C0 other than tab,
///   line feed and carriage return, DEL, C1; PostgreSQL refuses U+0000 in
///   text and jsonb), strings longer than `maxStringBytes`, numbers that are
///   not finite as a Double (`1e400`).
///
/// The error names the place as a JSON pointer (RFC 6901).
public enum StrictJSON {
    public struct Limits: Sendable {
        public var maxDepth: Int
        public var maxStringBytes: Int
        /// FHIR's JSON has no `null` (leave the element out): false refuses it (400).
        public var allowsNull: Bool

        public init(maxDepth: Int = 32, maxStringBytes: Int = 100_000, allowsNull: Bool = true) {
            self.maxDepth = maxDepth
            self.maxStringBytes = maxStringBytes
            self.allowsNull = allowsNull
        }

        /// FHIR R4 JSON: no nulls.
        public static let fhir = Limits(allowsNull: false)
    }

    public struct Failure: Error, Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// Not JSON as this API reads it (400).
            case malformed
            /// JSON, but a value no field of this API may hold (422).
            case invalidValue
        }
        public var kind: Kind
        /// JSON pointer to the value (or object) at fault; "" for the whole body.
        public var pointer: String
        public var reason: String
    }

    public static func check(_ data: Data, limits: Limits = Limits()) throws(Failure) {
        let failure = data.withUnsafeBytes { raw -> Failure? in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self), limits: limits)
            do throws(Failure) {
                scanner.skipSpace()
                try scanner.value()
                scanner.skipSpace()
                guard scanner.i == scanner.bytes.count else { throw scanner.malformed("there is more after the JSON value") }
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// A JSON pointer token: `~` and `/` escaped (RFC 6901).
    public static func pointerToken(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

extension StrictJSON {
    /// Where the scanner is: object keys (decoded) and array indexes.
    private enum Step {
        case key(String)
        case index(Int)
    }

    /// A key as it appears in its object: raw bytes when it has no escapes
    /// (the common case, compared without allocating), decoded otherwise.
    private struct Key {
        var start: Int
        var end: Int
        var decoded: [UInt8]?
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let limits: Limits
        var i = 0
        var path: [Step] = []

        init(bytes: UnsafeBufferPointer<UInt8>, limits: Limits) {
            self.bytes = bytes
            self.limits = limits
        }

        var pointer: String {
            path.map {
                switch $0 {
                case .key(let k): "/" + StrictJSON.pointerToken(k)
                case .index(let n): "/\(n)"
                }
            }.joined()
        }

        func malformed(_ reason: String) -> Failure { Failure(kind: .malformed, pointer: pointer, reason: reason) }
        func invalid(_ reason: String) -> Failure { Failure(kind: .invalidValue, pointer: pointer, reason: reason) }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func value() throws(Failure) {
            guard i < bytes.count else { throw malformed("the JSON ends too early") }
            switch bytes[i] {
            case UInt8(ascii: "{"): try object()
            case UInt8(ascii: "["): try array()
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"):
                try literal("null")
                if !limits.allowsNull { throw malformed("null is not a value in FHIR JSON: leave the element out") }
            default: try number()
            }
        }

        mutating func object() throws(Failure) {
            guard path.count < limits.maxDepth else { throw malformed("nested deeper than \(limits.maxDepth) levels") }
            i += 1
            var keys: [Key] = []
            var many: Set<String>?
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                i += 1
                return
            }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw malformed("an object key must be a string") }
                let start = i + 1
                let decoded = try string()
                let key = Key(start: start, end: i - 1, decoded: decoded)
                let name = text(key)
                // Small objects compare raw bytes; large ones switch to a set, so
                // a body of many keys costs linear time, not quadratic.
                let repeated: Bool
                if many != nil {
                    repeated = !many!.insert(name).inserted
                } else {
                    repeated = keys.contains { same($0, key) }
                    keys.append(key)
                    if keys.count > 16 { many = Set(keys.map(text)) }
                }
                if repeated {
                    path.append(.key(name))
                    throw malformed("the key '\(name)' appears twice in one object")
                }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw malformed("':' expected after a key") }
                i += 1
                skipSpace()
                path.append(.key(name))
                try value()
                path.removeLast()
                skipSpace()
                guard i < bytes.count else { throw malformed("the JSON ends inside an object") }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard bytes[i] == UInt8(ascii: "}") else { throw malformed("',' or '}' expected in an object") }
                i += 1
                return
            }
        }

        mutating func array() throws(Failure) {
            guard path.count < limits.maxDepth else { throw malformed("nested deeper than \(limits.maxDepth) levels") }
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                i += 1
                return
            }
            var index = 0
            while true {
                skipSpace()
                path.append(.index(index))
                try value()
                path.removeLast()
                skipSpace()
                guard i < bytes.count else { throw malformed("the JSON ends inside an array") }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    index += 1
                    continue
                }
                guard bytes[i] == UInt8(ascii: "]") else { throw malformed("',' or ']' expected in an array") }
                i += 1
                return
            }
        }

        /// Scans a string from its opening quote to past its closing one.
        /// Returns its decoded UTF-8 when it had escapes (nil when the raw
        /// bytes are the text).
        mutating func string() throws(Failure) -> [UInt8]? {
            let start = i + 1
            var j = start
            var decoded: [UInt8]?
            while true {
                guard j < bytes.count else { throw malformed("a string is not closed") }
                let c = bytes[j]
                if c == UInt8(ascii: "\"") { break }
                if c == UInt8(ascii: "\\") {
                    if decoded == nil { decoded = Array(UnsafeBufferPointer(rebasing: bytes[start..<j])) }
                    j = try escape(at: j, into: &decoded!)
                    continue
                }
                if c < 0x20 { throw malformed("a string holds an unescaped control character") }
                let width = try utf8Scalar(at: j)
                if decoded != nil { decoded!.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[j..<(j + width)])) }
                j += width
            }
            let length = decoded?.count ?? (j - start)
            i = j + 1
            if length > limits.maxStringBytes { throw invalid("a string is longer than \(limits.maxStringBytes) bytes") }
            return decoded
        }

        /// Checks one UTF-8 encoded scalar at `j` (well-formed, shortest form,
        /// no surrogates, no DEL or C1 control) and returns its length.
        func utf8Scalar(at j: Int) throws(Failure) -> Int {
            let c = bytes[j]
            if c < 0x80 {
                if c == 0x7F { throw invalid("a string holds a control character (U+007F)") }
                return 1
            }
            let (width, minimum): (Int, UInt32) =
                switch c {
                case 0xC2...0xDF: (2, 0x80)
                case 0xE0...0xEF: (3, 0x800)
                case 0xF0...0xF4: (4, 0x10000)
                default: (0, 0)
                }
            guard width > 0, j + width <= bytes.count else { throw malformed("the body is not valid UTF-8") }
            var scalar = UInt32(c) & (0xFF >> (width + 1))
            for k in 1..<width {
                let next = bytes[j + k]
                guard next & 0xC0 == 0x80 else { throw malformed("the body is not valid UTF-8") }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
                throw malformed("the body is not valid UTF-8")
            }
            if (0x80...0x9F).contains(scalar) { throw invalid("a string holds a control character (C1)") }
            return width
        }

        /// Decodes the escape at `j` into `out`; returns the index after it.
        func escape(at j: Int, into out: inout [UInt8]) throws(Failure) -> Int {
            guard j + 1 < bytes.count else { throw malformed("a string is not closed") }
            switch bytes[j + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                out.append(bytes[j + 1])
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"), UInt8(ascii: "f"):
                throw invalid("a string holds a control character")
            case UInt8(ascii: "u"):
                var scalar = try hex4(at: j + 2)
                var next = j + 6
                if (0xD800...0xDBFF).contains(scalar) {
                    guard next + 1 < bytes.count, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u") else {
                        throw malformed("a string holds a lone surrogate escape")
                    }
                    let low = try hex4(at: next + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw malformed("a string holds a lone surrogate escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    next += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw malformed("a string holds a lone surrogate escape")
                }
                if scalar < 0x20, scalar != 0x09, scalar != 0x0A, scalar != 0x0D {
                    throw invalid("a string holds a control character (U+\(String(scalar, radix: 16, uppercase: true).leftPadded(4)))")
                }
                if scalar == 0x7F || (0x80...0x9F).contains(scalar) { throw invalid("a string holds a control character") }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                return next
            default:
                throw malformed("a string holds an invalid escape")
            }
            return j + 2
        }

        func hex4(at j: Int) throws(Failure) -> UInt32 {
            guard j + 4 <= bytes.count else { throw malformed("a string holds an invalid escape") }
            var value: UInt32 = 0
            for k in 0..<4 {
                let c = bytes[j + k]
                let digit: UInt8
                switch c {
                case 0x30...0x39: digit = c - 0x30
                case 0x41...0x46: digit = c - 0x41 + 10
                case 0x61...0x66: digit = c - 0x61 + 10
                default: throw malformed("a string holds an invalid escape")
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }

        mutating func literal(_ word: StaticString) throws(Failure) {
            let n = word.utf8CodeUnitCount
            guard i + n <= bytes.count else { throw malformed("the JSON is not valid") }
            for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw malformed("the JSON is not valid") }
            i += n
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, finite as a Double.
        mutating func number() throws(Failure) {
            func digits(_ j: inout Int) -> Bool {
                let first = j
                while j < bytes.count, (0x30...0x39).contains(bytes[j]) { j += 1 }
                return j > first
            }
            let start = i
            var j = i
            if j < bytes.count, bytes[j] == UInt8(ascii: "-") { j += 1 }
            guard j < bytes.count else { throw malformed("the JSON is not valid") }
            if bytes[j] == UInt8(ascii: "0") { j += 1 } else if !digits(&j) { throw malformed("the JSON is not valid") }
            if j < bytes.count, bytes[j] == UInt8(ascii: ".") {
                j += 1
                guard digits(&j) else { throw malformed("a number has no digits after its point") }
            }
            var exponent = false
            if j < bytes.count, bytes[j] == UInt8(ascii: "e") || bytes[j] == UInt8(ascii: "E") {
                exponent = true
                j += 1
                if j < bytes.count, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") { j += 1 }
                guard digits(&j) else { throw malformed("a number has no digits in its exponent") }
            }
            i = j
            // Plain numbers of up to 300 characters are finite; only the rest are parsed.
            if exponent || j - start > 300 {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<j]), as: UTF8.self)
                guard let n = Double(text), n.isFinite else { throw invalid("a number is too large") }
            }
        }

        func text(_ key: Key) -> String {
            if let decoded = key.decoded { return String(decoding: decoded, as: UTF8.self) }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[key.start..<key.end]), as: UTF8.self)
        }

        func same(_ a: Key, _ b: Key) -> Bool {
            switch (a.decoded, b.decoded) {
            case (nil, nil):
                guard a.end - a.start == b.end - b.start else { return false }
                return memcmp(bytes.baseAddress! + a.start, bytes.baseAddress! + b.start, a.end - a.start) == 0
            case (let x?, let y?): return x == y
            case (let x?, nil): return x.elementsEqual(UnsafeBufferPointer(rebasing: bytes[b.start..<b.end]))
            case (nil, let y?): return y.elementsEqual(UnsafeBufferPointer(rebasing: bytes[a.start..<a.end]))
            }
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
