import Foundation
import Hummingbird
import Logging
import VardeCore
import VardeStore

/// The one place where domain, store, decoding and unexpected errors become
/// `application/problem+json` (an OperationOutcome under `/fhir`). Unknown errors are logged at `.error` with the
/// request id (Hummingbird alone logs them only at `.debug`) and become 500.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error, logger: context.logger)
            if FHIRController.isFHIR(request.uri.path) { return try FHIRController.outcome(for: problem) }
            return try problem.response(from: request, context: context)
        }
    }

    static func problem(for error: any Error, logger: Logger) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as DomainError:
            return problem(for: error)
        case let error as AppendError:
            switch error {
            case .versionConflict: return .conflict("the record changed while this request was handled; retry")
            case .partialDuplicate: return .conflict("some of these events were stored before")
            }
        case let error as PGError where error.isConnectionLoss || error.code == .unavailable || error.isTransient:
            logger.warning("database unavailable or busy", metadata: ["sqlstate": "\(error.sqlState ?? "-")", "code": "\(error.code)"])
            return .unavailable
        case let error as PGError:
            // The server's message and detail may quote values (identifiers,
            // readings): only the SQLSTATE goes to the log.
            logger.error("database error", metadata: ["sqlstate": "\(error.sqlState ?? "-")", "code": "\(error.code)"])
            return .internalError
        case let error as UndecodableEvent:
            logger.error("a patient's history holds an event this version cannot read", metadata: ["error": "\(error)"])
            return Problem(
                .serviceUnavailable, type: "unreadable-history", title: "Service unavailable",
                detail: "this patient's record cannot be read by this version of the server; the operators have been told",
                headers: [.retryAfter: "60"])
        case let error as HTTPError:
            return Problem(error.status, type: "http", title: error.status.reasonPhrase, detail: error.body)
        case let error as DecodingError:
            return RequestBody.problem(for: error)
        default:
            logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return .internalError
        }
    }

    static func problem(for error: DomainError) -> Problem {
        switch error {
        case .invalid, .implausible, .unknownUnit:
            .invalid(error.description, pointer: error.field)
        case .notFound(let what):
            .notFound(what)
        case .conflict(let why):
            .conflict(why)
        case .reused(let field):
            .conflict(error.description, pointer: field)
        case .versionConflict:
            .conflict(error.description)
        }
    }
}
