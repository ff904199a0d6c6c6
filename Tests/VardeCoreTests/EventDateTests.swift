import Foundation
import Testing

@testable import VardeCore

@Suite("EventDate: RFC 3339 instants")
struct EventDateTests {
    @Test(
        "impossible calendar dates are refused, never rolled over into the next month",
        arguments: [
            "2026-02-31T10:00:00Z", "2026-02-29T10:00:00Z", "2026-04-31T00:00:00Z", "2026-06-31T12:00:00+01:00",
            "2026-00-10T10:00:00Z", "2026-13-01T10:00:00Z", "2026-01-00T10:00:00Z", "2026-01-32T10:00:00Z",
            "2026-01-01T10:00:00+24:00", "2026-01-01T10:00:00+01:60",
        ])
    func impossible(_ text: String) {
        #expect(EventDate.parse(text) == nil)
    }

    @Test(
        "the last day of each month, and 29 February in leap years, are read as written",
        arguments: [
            ("2024-02-29T10:00:00Z", "2024-02-29T10:00:00.000Z"), ("2000-02-29T00:00:00Z", "2000-02-29T00:00:00.000Z"),
            ("2026-04-30T23:59:59Z", "2026-04-30T23:59:59.000Z"), ("2026-12-31T23:00:00-01:00", "2027-01-01T00:00:00.000Z"),
        ])
    func lastDays(_ text: String, _ expected: String) throws {
        #expect(EventDate.format(try #require(EventDate.parse(text))) == expected)
    }

    @Test("1900 and 2100 have no 29 February")
    func centuries() {
        #expect(EventDate.parse("1900-02-29T00:00:00Z") == nil)
        #expect(EventDate.parse("2100-02-29T00:00:00Z") == nil)
    }
}
