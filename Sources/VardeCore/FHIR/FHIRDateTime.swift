import Foundation

/// Reads FHIR `date`, `dateTime` and `instant` strings and formats instants as
/// RFC 3339 in UTC (`Z`), with fractional seconds only when present.
public enum FHIRDateTime {
    /// Why a string was refused.
    public enum Failure: Error, Equatable, Sendable {
        /// `YYYY` or `YYYY-MM` where at least a day is needed.
        case tooCoarse
        /// A time without a zone offset.
        case missingOffset
        /// Anything else.
        case malformed
    }

    /// The instant a measured time stands for: `YYYY-MM-DDThh:mm:ss[.f…](Z|±hh:mm)`,
    /// or a date-only `YYYY-MM-DD`, which means the start of that day in
    /// Europe/Oslo (00:00 local time): never later than any moment of that day,
    /// so today's date is never in the future, and it lies inside the day a
    /// search for that date covers (`FHIRDateRange`).
    public static func parse(_ text: String) throws(Failure) -> Date {
        let value = try Value(text)
        guard value.day != nil else { throw .tooCoarse }
        return FHIRDateRange(value).start
    }

    /// RFC 3339 in UTC: `2024-03-01T07:05:09Z`, or `…09.25Z` with up to microseconds.
    public static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (secs, frac) = (micros.quotientFloor(1_000_000), micros.moduloFloor(1_000_000))
        let days = Int(secs.quotientFloor(86_400))
        let daySeconds = Int(secs.moduloFloor(86_400))
        let (y, m, d) = CivilCalendar.civil(days: days)
        var text =
            pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(daySeconds / 3600, 2) + ":"
            + pad(daySeconds / 60 % 60, 2) + ":" + pad(daySeconds % 60, 2)
        if frac > 0 {
            var digits = pad(Int(frac), 6)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    /// The parts of `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ss[.f…](Z|±hh:mm)`.
    struct Value: Equatable {
        struct Time: Equatable {
            /// Seconds since the start of the day in UTC (may be negative or past 86,400 by the offset).
            var secondsUTC: Int
            var fraction: Double
            var fractionDigits: Int
        }

        var year: Int
        var month: Int?
        var day: Int?
        var time: Time?

        init(_ text: String) throws(Failure) {
            let b = Array(text.utf8)
            guard b.count >= 4, let year = number(b, 0, 4), year >= 1 else { throw .malformed }
            self.year = year
            if b.count == 4 { return }
            guard b.count >= 7, b[4] == UInt8(ascii: "-"), let month = number(b, 5, 2), (1...12).contains(month) else { throw .malformed }
            self.month = month
            if b.count == 7 { return }
            guard b.count >= 10, b[7] == UInt8(ascii: "-"), let day = number(b, 8, 2),
                (1...CivilCalendar.daysIn(month: month, year: year)).contains(day)
            else { throw .malformed }
            self.day = day
            if b.count == 10 { return }
            time = try Self.time(b)
        }

        private static func time(_ b: [UInt8]) throws(Failure) -> Time {
            guard b.count >= 19, b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
                let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2),
                hour < 24, minute < 60, second < 60
            else { throw .malformed }
            var i = 19
            var fraction = 0.0
            var digits = 0
            if i < b.count, b[i] == UInt8(ascii: ".") {
                let start = i + 1
                i = start
                while i < b.count, isDigit(b[i]) { i += 1 }
                guard i > start, let f = Double("0." + String(decoding: b[start..<i], as: UTF8.self)) else { throw .malformed }
                (fraction, digits) = (f, i - start)
            }
            guard i < b.count else { throw .missingOffset }
            var offset = 0
            if b[i] == UInt8(ascii: "Z"), i + 1 == b.count {
                offset = 0
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), b.count == i + 6, b[i + 3] == UInt8(ascii: ":"),
                let oh = number(b, i + 1, 2), let om = number(b, i + 4, 2), oh <= 14, om < 60
            {
                offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            } else {
                throw .malformed
            }
            return Time(secondsUTC: hour * 3600 + minute * 60 + second - offset, fraction: fraction, fractionDigits: digits)
        }
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private static func number(_ b: [UInt8], _ from: Int, _ count: Int) -> Int? {
        guard from + count <= b.count else { return nil }
        var n = 0
        for c in b[from..<(from + count)] {
            guard isDigit(c) else { return nil }
            n = n * 10 + Int(c - UInt8(ascii: "0"))
        }
        return n
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

}

extension BinaryInteger {
    fileprivate func quotientFloor(_ d: Self) -> Self { (self - moduloFloor(d)) / d }
    fileprivate func moduloFloor(_ d: Self) -> Self {
        let r = self % d
        return r < 0 ? r + d : r
    }
}
