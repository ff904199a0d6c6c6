import Foundation
import Testing

@testable import VardeCore

/// The range a FHIR date or dateTime stands for: days, months and years in
/// Europe/Oslo local time, with the clock changes of 2026 (2026-03-29 has 23
/// hours, 2026-10-25 has 25).
@Suite struct FHIRDateRangeTests {
    static func utc(_ text: String) -> Date { FHIRFixtures.date(text) }

    @Test(arguments: [
        ("2026", "2025-12-31T23:00:00Z", "2026-12-31T23:00:00Z", FHIRDateRange.Precision.year),
        ("2026-10", "2026-09-30T22:00:00Z", "2026-10-31T23:00:00Z", .month),
        ("2026-12", "2026-11-30T23:00:00Z", "2026-12-31T23:00:00Z", .month),
        ("2026-03", "2026-02-28T23:00:00Z", "2026-03-31T22:00:00Z", .month),
        ("2026-11-01", "2026-10-31T23:00:00Z", "2026-11-01T23:00:00Z", .day),
        ("2026-07-01", "2026-06-30T22:00:00Z", "2026-07-01T22:00:00Z", .day),
        ("2026-03-29", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", .day),  // 23 hours
        ("2026-03-30", "2026-03-29T22:00:00Z", "2026-03-30T22:00:00Z", .day),
        ("2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", .day),  // 25 hours
        ("2026-10-26", "2026-10-25T23:00:00Z", "2026-10-26T23:00:00Z", .day),
        ("2024-02-29", "2024-02-28T23:00:00Z", "2024-02-29T23:00:00Z", .day),
        ("2026-11-01T08:00:00+01:00", "2026-11-01T07:00:00Z", "2026-11-01T07:00:01Z", .time),
        ("2026-11-01T07:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T07:00:01Z", .time),
    ])
    func rangeByPrecision(_ text: String, _ start: String, _ end: String, _ precision: FHIRDateRange.Precision) throws {
        let range = try FHIRDateRange(text)
        #expect(range == FHIRDateRange(start: Self.utc(start), end: Self.utc(end), precision: precision))
        #expect(range.contains(range.start))
        #expect(!range.contains(range.end))
        #expect(!range.contains(range.start.addingTimeInterval(-0.001)))
        #expect(range.contains(range.end.addingTimeInterval(-0.001)))
    }

    /// In microseconds, as PostgreSQL keeps them (a `Date` this far from 1970 resolves about 0.24 µs).
    static func micros(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1_000_000).rounded()) }

    @Test func fractionsNarrowTheRangeDownToAMicrosecond() throws {
        let tenth = try FHIRDateRange("2026-11-01T07:00:00.5Z")
        #expect(Self.micros(tenth.start) == Self.micros(Self.utc("2026-11-01T07:00:00Z")) + 500_000)
        #expect(Self.micros(tenth.end) - Self.micros(tenth.start) == 100_000)
        let fine = try FHIRDateRange("2026-11-01T07:00:00.123456789Z")
        #expect(Self.micros(fine.end) - Self.micros(fine.start) == 1)
    }

    @Test(arguments: [
        ("2026-11-01T08:00:00", FHIRDateTime.Failure.missingOffset), ("2026-11-01T08:00Z", .malformed),
        ("2026-13", .malformed), ("2026-02-29", .malformed), ("26", .malformed), ("2026-1", .malformed),
        ("0000", .malformed), ("2026-11-01x", .malformed), ("", .malformed),
    ])
    func refused(_ text: String, _ failure: FHIRDateTime.Failure) {
        #expect(throws: failure) { try FHIRDateRange(text) }
    }

    /// The start of every day from 1996 to 2040 agrees with Foundation's calendar in
    /// Europe/Oslo, with and without the system's zone database.
    @Test func startOfDayMatchesTheCalendar() throws {
        var oslo = Calendar(identifier: .gregorian)
        oslo.timeZone = try #require(OsloTime.zone)
        var mismatches: [String] = []
        var day = try #require(oslo.date(from: DateComponents(year: 1996, month: 1, day: 1)))
        while oslo.component(.year, from: day) <= 2040 {
            let c = oslo.dateComponents([.year, .month, .day], from: day)
            let zoned = OsloTime.startOfDay(year: c.year!, month: c.month!, day: c.day!)
            let fallback = OsloTime.startOfDay(year: c.year!, month: c.month!, day: c.day!, zone: nil)
            if zoned != oslo.startOfDay(for: day) || fallback != zoned { mismatches.append("\(c)") }
            day = oslo.date(byAdding: .day, value: 1, to: day)!
        }
        #expect(mismatches.isEmpty)
    }
}
