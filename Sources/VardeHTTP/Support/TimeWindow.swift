import Foundation
import VardeCore
import VardeStore

/// The `from` and `to` query parameters of the native and audit routes. Each is
/// an RFC 3339 time with offset, or a date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`,
/// meaning that day, month or year in Europe/Oslo (`FHIRDateRange`). `from`
/// includes its time, or all of its date; so does `to`: `from=2026-11-01&to=2026-11-01`
/// is that whole day, `to=2026-11-01T08:00:00Z` ends at that instant, inclusive.
/// Bounds are kept in microseconds, the precision PostgreSQL stores.
struct TimeWindow: Equatable {
    /// The first instant in the window, in microseconds since the epoch.
    var fromMicros: Int64?
    /// The first instant after it.
    var beforeMicros: Int64?

    init(from: String?, to: String?) throws {
        fromMicros = try from.map { Self.micros(try Self.range($0, "from").start) }
        beforeMicros = try to.map { text in
            let range = try Self.range(text, "to")
            return range.precision == .time ? Self.micros(range.start) + 1 : Self.micros(range.end)
        }
    }

    /// For a `$n::timestamptz` parameter: at or after this.
    var from: Date? { fromMicros.map(VardeStore.Timestamp.fromMicros) }
    /// For a `$n::timestamptz` parameter: before this.
    var before: Date? { beforeMicros.map(VardeStore.Timestamp.fromMicros) }

    func contains(_ date: Date) -> Bool {
        let t = Self.micros(date)
        return (fromMicros.map { t >= $0 } ?? true) && (beforeMicros.map { t < $0 } ?? true)
    }

    static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }

    private static func range(_ text: String, _ name: String) throws -> FHIRDateRange {
        guard let range = try? FHIRDateRange(text) else {
            throw Problem.invalid("\(name) must be an RFC 3339 time or a date (YYYY-MM-DD, YYYY-MM, YYYY)", pointer: "/\(name)")
        }
        return range
    }
}
