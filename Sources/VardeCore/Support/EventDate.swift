import Foundation

/// Millisecond-precision instants for event bodies: `YYYY-MM-DDTHH:MM:SS.sssZ`.
///
/// `format` and `parse` are exact inverses on `normalized` dates, so an event that
/// passes through the codec decodes to a bit-identical `Date`. `decide` normalizes
/// every instant it writes, so live and replayed state compare equal.
public enum EventDate {
    /// The instant rounded to whole milliseconds since 1970, built the same way `parse` builds it.
    public static func normalized(_ d: Date) -> Date { date(milliseconds: milliseconds(d)) }

    /// Whole milliseconds since 1970, rounded as `format` rounds them.
    public static func milliseconds(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded()) }

    static func date(milliseconds ms: Int64) -> Date {
        let (s, r) = ms.quotientAndRemainder(dividingBy: 1000)
        let (sec, frac) = r < 0 ? (s - 1, r + 1000) : (s, r)
        return Date(timeIntervalSince1970: Double(sec) + Double(frac) / 1000)
    }

    /// `2025-03-01T08:00:00.000Z`.
    public static func format(_ d: Date) -> String {
        let ms = milliseconds(d)
        let (secs, frac) = floorDiv(ms, 1000)
        let (days, sod) = floorDiv(secs, 86_400)
        let (y, m, day) = CivilCalendar.civil(days: Int(days))
        guard (0...9999).contains(y) else {
            func pad(_ v: Int64, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
            return
                "\(pad(Int64(y), 4))-\(pad(Int64(m), 2))-\(pad(Int64(day), 2))T\(pad(sod / 3600, 2)):\(pad(sod % 3600 / 60, 2)):\(pad(sod % 60, 2)).\(pad(frac, 3))Z"
        }
        // Written digit by digit: the projector formats two instants per reading.
        return String(unsafeUninitializedCapacity: 24) { out in
            func put(_ value: Int64, _ width: Int, at end: Int) {
                var v = value
                for k in stride(from: end - 1, through: end - width, by: -1) {
                    out[k] = UInt8(48 + v % 10)
                    v /= 10
                }
            }
            put(Int64(y), 4, at: 4)
            put(Int64(m), 2, at: 7)
            put(Int64(day), 2, at: 10)
            put(sod / 3600, 2, at: 13)
            put(sod % 3600 / 60, 2, at: 16)
            put(sod % 60, 2, at: 19)
            put(frac, 3, at: 23)
            out[4] = UInt8(ascii: "-")
            out[7] = UInt8(ascii: "-")
            out[10] = UInt8(ascii: "T")
            out[13] = UInt8(ascii: ":")
            out[16] = UInt8(ascii: ":")
            out[19] = UInt8(ascii: ".")
            out[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.f…](Z|±HH:MM)`; fractions beyond milliseconds are rounded.
    public static func parse(_ s: String) -> Date? {
        var s = s
        return s.withUTF8(parse)
    }

    private static func parse(_ u: UnsafeBufferPointer<UInt8>) -> Date? {
        func num(_ from: Int, _ len: Int) -> Int64? {
            guard from + len <= u.count else { return nil }
            var v: Int64 = 0
            for c in u[from..<from + len] {
                guard (48...57).contains(c) else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            return v
        }
        guard u.count >= 20, u[4] == 45, u[7] == 45, u[10] == 84 || u[10] == 116, u[13] == 58, u[16] == 58,
            let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
            let se = num(17, 2), (1...12).contains(mo), d >= 1, d <= CivilCalendar.daysIn(month: Int(mo), year: Int(y)),
            h < 24, mi < 60, se < 61
        else { return nil }
        var i = 19, frac = 0.0
        if i < u.count, u[i] == 46 {
            var scale = 0.1
            i += 1
            while i < u.count, (48...57).contains(u[i]) {
                frac += Double(u[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        var offset: Int64 = 0
        if i < u.count, u[i] == 90 || u[i] == 122 {
            i += 1
        } else if i + 6 == u.count, u[i] == 43 || u[i] == 45,
            let oh = num(i + 1, 2), let om = num(i + 4, 2), u[i + 3] == 58, oh < 24, om < 60
        {
            offset = (oh * 60 + om) * 60 * (u[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == u.count else { return nil }
        let secs = Int64(CivilCalendar.days(year: Int(y), month: Int(mo), day: Int(d))) * 86_400 + h * 3600 + mi * 60 + se - offset
        return date(milliseconds: secs * 1000 + Int64((frac * 1000).rounded()))
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}
