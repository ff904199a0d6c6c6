import Foundation

/// Days as they are lived in Europe/Oslo, the zone a date without a time is read in.
/// Uses the system's zone database, with the EU summer-time rule (Norway's since
/// 1996) when the system has none.
enum OsloTime {
    static let zone = TimeZone(identifier: "Europe/Oslo")

    /// 00:00 local time on the given day. Local midnight is 22:00 or 23:00 UTC the
    /// day before, and Oslo changes its offset at 01:00 UTC, never in between: the
    /// offset in force two hours before midnight UTC is the one in force at local
    /// midnight, also on the days the clocks change (2026-03-29 has 23 hours,
    /// 2026-10-25 has 25).
    static func startOfDay(year: Int, month: Int, day: Int, zone: TimeZone? = zone) -> Date {
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let midnightUTC = days * 86_400
        let offset: Int
        if let zone {
            offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(midnightUTC - 7200)))
        } else {
            let before = CivilCalendar.civil(days: days - 1)
            offset = euSummerTime(year: before.year, month: before.month, day: before.day) ? 7200 : 3600
        }
        return Date(timeIntervalSince1970: Double(midnightUTC - offset))
    }

    /// 00:00 local time on the day after the given one.
    static func startOfNextDay(year: Int, month: Int, day: Int, zone: TimeZone? = zone) -> Date {
        let next = CivilCalendar.civil(days: CivilCalendar.days(year: year, month: month, day: day) + 1)
        return startOfDay(year: next.year, month: next.month, day: next.day, zone: zone)
    }

    /// 12:00 local time on the given day: what a date-only FHIR time meant before
    /// it meant the start of the day. Content keys keep it (see `FHIRObservationMapper.readingID`).
    static func noon(year: Int, month: Int, day: Int, zone: TimeZone? = zone) -> Date {
        let noonUTC = CivilCalendar.days(year: year, month: month, day: day) * 86_400 + 12 * 3600
        let offset: Int
        if let zone {
            // Zone offsets at 12:00 never straddle a transition (those happen at night).
            offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(noonUTC - 3600)))
        } else {
            offset = euSummerTime(year: year, month: month, day: day) ? 7200 : 3600
        }
        return Date(timeIntervalSince1970: Double(noonUTC - offset))
    }

    /// EU rule (Norway since 1996): summer time from 01:00 UTC on the last Sunday of
    /// March to 01:00 UTC on the last Sunday of October. True for a day whose
    /// afternoon is in summer time.
    static func euSummerTime(year: Int, month: Int, day: Int) -> Bool {
        let today = CivilCalendar.days(year: year, month: month, day: day)
        return today >= lastSunday(year, 3) && today < lastSunday(year, 10)
    }

    private static func lastSunday(_ year: Int, _ month: Int) -> Int {
        let last = CivilCalendar.days(year: year, month: month, day: 31)
        return last - ((last + 4) % 7 + 7) % 7  // 1970-01-01 was a Thursday (weekday 4, Sunday 0)
    }
}
