import Foundation

/// One `date` parameter of a FHIR R4 search: an optional prefix and a value that
/// stands for a range (`FHIRDateRange`). A reading's measured time is an instant,
/// so each prefix becomes a simple condition on it:
///
/// | prefix | the instant lies … |
/// |---|---|
/// | `eq` (default) | within the range |
/// | `ne` | outside it |
/// | `lt`, `eb` | before its start |
/// | `le` | before its end |
/// | `ge` | at or after its start |
/// | `gt`, `sa` | at or after its end |
///
/// Several `date` parameters must all hold (`date=ge2026-11-01&date=lt2026-12-01`).
public struct FHIRDateParameter: Equatable, Sendable {
    public enum Prefix: String, CaseIterable, Sendable {
        case eq, ne, lt, gt, le, ge, sa, eb
    }

    public enum Failure: Error, Equatable, Sendable {
        /// Two letters that are not one of `Prefix` (`ap` is not supported).
        case unknownPrefix
        case value(FHIRDateTime.Failure)
    }

    /// What an instant must satisfy.
    public enum Condition: Equatable, Sendable {
        /// At or after `from` (when given) and before `before` (when given).
        case within(from: Date?, before: Date?)
        /// Before `start` or at or after `end`.
        case outside(start: Date, end: Date)
    }

    public var prefix: Prefix
    public var range: FHIRDateRange

    public init(prefix: Prefix, range: FHIRDateRange) {
        self.prefix = prefix
        self.range = range
    }

    /// `[prefix]value`, e.g. `ge2026-11-01`, `2026-11`, `lt2026-11-01T08:00:00+01:00`.
    public init(_ text: String) throws(Failure) {
        let head = text.prefix(2)
        let prefixed = head.count == 2 && head.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
        if prefixed {
            guard let prefix = Prefix(rawValue: String(head)) else { throw .unknownPrefix }
            self.prefix = prefix
        } else {
            self.prefix = .eq
        }
        do {
            range = try FHIRDateRange(String(prefixed ? text.dropFirst(2) : text[...]))
        } catch {
            throw .value(error)
        }
    }

    public var condition: Condition {
        switch prefix {
        case .eq: .within(from: range.start, before: range.end)
        case .ne: .outside(start: range.start, end: range.end)
        case .lt, .eb: .within(from: nil, before: range.start)
        case .le: .within(from: nil, before: range.end)
        case .ge: .within(from: range.start, before: nil)
        case .gt, .sa: .within(from: range.end, before: nil)
        }
    }

    public func matches(_ instant: Date) -> Bool {
        switch condition {
        case .within(let from, let before): (from.map { instant >= $0 } ?? true) && (before.map { instant < $0 } ?? true)
        case .outside(let start, let end): instant < start || instant >= end
        }
    }
}
