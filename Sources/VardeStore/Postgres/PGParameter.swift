import Foundation

/// A value that can be sent as a text-format statement parameter.
public protocol PGParameter: Sendable {
    var pgText: String { get }
}

extension String: PGParameter { public var pgText: String { self } }
extension Int: PGParameter { public var pgText: String { String(self) } }
extension Int32: PGParameter { public var pgText: String { String(self) } }
extension Int64: PGParameter { public var pgText: String { String(self) } }
extension Double: PGParameter { public var pgText: String { "\(self)" } }
extension Bool: PGParameter { public var pgText: String { self ? "t" : "f" } }
extension UUID: PGParameter { public var pgText: String { uuidString.lowercased() } }
extension Date: PGParameter {
    /// RFC 3339 in UTC with microseconds, PostgreSQL's own precision.
    public var pgText: String { Timestamp.format(self) }
}

/// Exact conversions between `Date` and PostgreSQL timestamps.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = time_t(micros.floorDiv(1_000_000))
        let fraction = micros - Int64(seconds) * 1_000_000
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let frac = String(fraction)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + String(repeating: "0", count: 6 - frac.count) + frac + "Z"
    }

    /// From microseconds since the Unix epoch, as `extract(epoch …) * 1e6` gives them.
    public static func fromMicros(_ micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}

extension Int64 {
    fileprivate func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
