import Foundation
import Testing

@testable import VardeCore

/// FHIR R4 date search on instants: each prefix against readings just inside and
/// just outside a day, a month and a second, including the days the clocks change.
@Suite struct FHIRDateParameterTests {
    static func utc(_ text: String) -> Date { FHIRFixtures.date(text) }

    /// Readings around a day in Oslo: just before its first instant, its first instant,
    /// its last millisecond, and the first instant of the next day.
    static func around(_ start: String, _ end: String) -> [Date] {
        [utc(start).addingTimeInterval(-0.001), utc(start), utc(end).addingTimeInterval(-0.001), utc(end)]
    }

    @Test(arguments: [
        // 2026-10-25 lasts 25 hours: 2026-10-24T22:00Z to 2026-10-25T23:00Z
        ("2026-10-25", [false, true, true, false]), ("eq2026-10-25", [false, true, true, false]),
        ("ne2026-10-25", [true, false, false, true]),
        ("lt2026-10-25", [true, false, false, false]), ("eb2026-10-25", [true, false, false, false]),
        ("le2026-10-25", [true, true, true, false]),
        ("ge2026-10-25", [false, true, true, true]),
        ("gt2026-10-25", [false, false, false, true]), ("sa2026-10-25", [false, false, false, true]),
    ])
    func autumnDay(_ value: String, _ expected: [Bool]) throws {
        let p = try FHIRDateParameter(value)
        #expect(Self.around("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z").map(p.matches) == expected)
    }

    @Test(arguments: [
        // 2026-03-29 lasts 23 hours: 2026-03-28T23:00Z to 2026-03-29T22:00Z
        ("2026-03-29", [false, true, true, false]), ("ne2026-03-29", [true, false, false, true]),
        ("lt2026-03-29", [true, false, false, false]), ("le2026-03-29", [true, true, true, false]),
        ("ge2026-03-29", [false, true, true, true]), ("gt2026-03-29", [false, false, false, true]),
    ])
    func springDay(_ value: String, _ expected: [Bool]) throws {
        let p = try FHIRDateParameter(value)
        #expect(Self.around("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z").map(p.matches) == expected)
    }

    @Test(arguments: [
        ("2026-10", [false, true, true, false]), ("lt2026-10", [true, false, false, false]),
        ("le2026-10", [true, true, true, false]), ("ge2026-10", [false, true, true, true]),
        ("gt2026-10", [false, false, false, true]),
    ])
    func month(_ value: String, _ expected: [Bool]) throws {
        let p = try FHIRDateParameter(value)
        #expect(Self.around("2026-09-30T22:00:00Z", "2026-10-31T23:00:00Z").map(p.matches) == expected)
    }

    @Test func secondsAndAnd() throws {
        let readings = Self.around("2026-11-01T07:00:00Z", "2026-11-01T07:00:01Z")
        #expect(try readings.map(FHIRDateParameter("2026-11-01T08:00:00+01:00").matches) == [false, true, true, false])
        #expect(try readings.map(FHIRDateParameter("gt2026-11-01T07:00:00Z").matches) == [false, false, false, true])
        // Several parameters are ANDed: November in Oslo
        let november = try [FHIRDateParameter("ge2026-11-01"), FHIRDateParameter("lt2026-12-01")]
        let edges = Self.around("2026-10-31T23:00:00Z", "2026-11-30T23:00:00Z")
        #expect(edges.map { t in november.allSatisfy { $0.matches(t) } } == [false, true, true, false])
    }

    @Test func conditions() throws {
        let day = try FHIRDateRange("2026-11-01")
        #expect(try FHIRDateParameter("2026-11-01").condition == .within(from: day.start, before: day.end))
        #expect(try FHIRDateParameter("ne2026-11-01").condition == .outside(start: day.start, end: day.end))
        #expect(try FHIRDateParameter("le2026-11-01").condition == .within(from: nil, before: day.end))
        #expect(try FHIRDateParameter("gt2026-11-01") == FHIRDateParameter(prefix: .gt, range: day))
    }

    @Test(arguments: [
        ("ap2026-11-01", FHIRDateParameter.Failure.unknownPrefix), ("xx2026", .unknownPrefix), ("GE2026", .unknownPrefix),
        ("ge", .value(.malformed)), ("ge2026-11-01T08:00:00", .value(.missingOffset)), ("yesterday", .unknownPrefix),
        ("2026-11-01T08:00", .value(.malformed)), ("", .value(.malformed)), ("ge+2026", .value(.malformed)),
    ])
    func refused(_ value: String, _ failure: FHIRDateParameter.Failure) {
        #expect(throws: failure) { try FHIRDateParameter(value) }
    }
}
