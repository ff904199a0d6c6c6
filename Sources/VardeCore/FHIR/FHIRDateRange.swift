import Foundation

/// The span of time a FHIR `date` or `dateTime` stands for, by its precision
/// (FHIR R4 search, "date"): `2026` is that year, `2026-11` that month and
/// `2026-11-01` that day, each in Europe/Oslo local time; `…T08:00:00+01:00` is
/// that second, `…T08:00:00.5+01:00` that tenth of a second, and so on down to
/// the microsecond PostgreSQL keeps.
public struct FHIRDateRange: Equatable, Sendable {
    public enum Precision: Equatable, Sendable {
        case year, month, day, time
    }

    /// The first instant in the range.
    public var start: Date
    /// The first instant after it.
    public var end: Date
    public var precision: Precision

    public init(start: Date, end: Date, precision: Precision) {
        self.start = start
        self.end = end
        self.precision = precision
    }

    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a dateTime with seconds and a zone offset.
    public init(_ text: String) throws(FHIRDateTime.Failure) {
        self.init(try FHIRDateTime.Value(text))
    }

    init(_ v: FHIRDateTime.Value, zone: TimeZone? = OsloTime.zone) {
        switch (v.month, v.day, v.time) {
        case (nil, _, _):
            self.init(
                start: OsloTime.startOfDay(year: v.year, month: 1, day: 1, zone: zone),
                end: OsloTime.startOfDay(year: v.year + 1, month: 1, day: 1, zone: zone), precision: .year)
        case (let month?, nil, _):
            let (y, m) = month == 12 ? (v.year + 1, 1) : (v.year, month + 1)
            self.init(
                start: OsloTime.startOfDay(year: v.year, month: month, day: 1, zone: zone),
                end: OsloTime.startOfDay(year: y, month: m, day: 1, zone: zone), precision: .month)
        case (let month?, let day?, nil):
            self.init(
                start: OsloTime.startOfDay(year: v.year, month: month, day: day, zone: zone),
                end: OsloTime.startOfNextDay(year: v.year, month: month, day: day, zone: zone), precision: .day)
        case (let month?, let day?, let time?):
            let seconds = CivilCalendar.days(year: v.year, month: month, day: day) * 86_400 + time.secondsUTC
            let start = Date(timeIntervalSince1970: Double(seconds) + time.fraction)
            let width = time.fractionDigits == 0 ? 1 : pow(10, -Double(min(time.fractionDigits, 6)))
            self.init(start: start, end: start.addingTimeInterval(width), precision: .time)
        }
    }

    public func contains(_ instant: Date) -> Bool { start <= instant && instant < end }
}
