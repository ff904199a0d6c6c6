import Foundation

/// Everything the pure domain can refuse. No HTTP knowledge: the HTTP layer maps
/// each case to a status and an `application/problem+json` body.
///
/// `field` is a JSON pointer relative to the object being judged (for example
/// `/value` or `/diastolic`); callers prefix it with the item's own location.
/// Messages never contain national identifiers.
public enum DomainError: Error, Equatable, Sendable {
    /// A value is malformed or missing (422).
    case invalid(field: String, reason: String)
    /// A value is well-formed but outside what a human body can show (422).
    case implausible(field: String, value: Double, limit: String)
    /// A unit the server does not accept for that measurement (422).
    case unknownUnit(field: String, unit: String)
    /// The thing acted on does not exist, or the caller may not know it does (404).
    case notFound(String)
    /// The command does not fit the current state, e.g. acknowledging a resolved alert (409).
    case conflict(String)
    /// A gateway reading id (or FHIR identifier) was used before for a reading
    /// with other content; `field` is the first that differs (409).
    case reused(field: String)
    /// An append's expected stream version did not match (409).
    case versionConflict(expected: Int64, actual: Int64)
}

extension DomainError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .implausible(let field, let value, let limit): "\(field): \(value) is outside the plausible range \(limit)"
        case .unknownUnit(let field, let unit): "\(field): unit '\(unit)' is not accepted"
        case .notFound(let what): "\(what) not found"
        case .conflict(let why): why
        case .reused(let field): "\(field): the reading id was used before for a reading with another value here"
        case .versionConflict(let expected, let actual): "expected stream version \(expected), found \(actual)"
        }
    }

    /// The JSON pointer of the offending field, when there is one.
    public var field: String? {
        switch self {
        case .invalid(let field, _), .implausible(let field, _, _), .unknownUnit(let field, _), .reused(let field): field
        default: nil
        }
    }
}
