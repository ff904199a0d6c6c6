import Foundation
import Metrics
import VardeCore

/// What became of one submitted reading.
public enum IngestResult: Sendable, Equatable {
    case created(eventID: UUID)
    /// The same gateway reading id was stored before: the original event id.
    case duplicate(eventID: UUID)
    case rejected(IngestError)
}

/// Why one reading was refused. `pointer` is relative to the reading.
public struct IngestError: Error, Sendable, Equatable {
    public var status: Int
    public var title: String
    public var detail: String
    public var pointer: String?
    /// The domain error behind it, when there is one (FHIR maps it to a FHIRPath).
    public var domain: DomainError?

    public static func from(_ error: DomainError) -> IngestError {
        switch error {
        case .notFound(let what):
            IngestError(status: 404, title: "Not found", detail: "\(what) not found", pointer: nil, domain: error)
        case .conflict, .versionConflict:
            IngestError(status: 409, title: "Conflict", detail: error.description, pointer: nil, domain: error)
        case .reused(let field):
            IngestError(status: 409, title: "Conflict", detail: error.description, pointer: field, domain: error)
        default:
            IngestError(status: 422, title: "Invalid values", detail: error.description, pointer: error.field, domain: error)
        }
    }

    public static func notFound(_ what: String, pointer: String? = nil) -> IngestError {
        IngestError(status: 404, title: "Not found", detail: what, pointer: pointer, domain: nil)
    }

    /// An item of an all-or-nothing request left unstored because another item failed.
    public static let notAttempted = IngestError(
        status: 424, title: "Failed dependency", detail: "not stored: another item of the request failed", pointer: nil, domain: nil)

    public static func forbidden(_ why: String, pointer: String? = nil) -> IngestError {
        IngestError(status: 403, title: "Forbidden", detail: why, pointer: pointer, domain: nil)
    }
}

extension IngestResult {
    /// `varde_ingest_items_total{outcome, reason}`: created, duplicate,
    /// conflict, or rejected with the kind of refusal (never who or what).
    func count() {
        let (outcome, reason): (String, String) =
            switch self {
            case .created: ("created", "")
            case .duplicate: ("duplicate", "")
            case .rejected(let e) where e.status == 409: ("conflict", "reused_id")
            case .rejected(let e):
                switch e.status {
                case 403: ("rejected", "not_bound")
                case 404: ("rejected", "unknown_subject")
                case 424: ("rejected", "not_attempted")
                default: ("rejected", "invalid")
                }
            }
        Counter(label: "varde_ingest_items_total", dimensions: [("outcome", outcome), ("reason", reason)]).increment()
    }
}
