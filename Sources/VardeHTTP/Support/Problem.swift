import Foundation
import Hummingbird

/// An RFC 9457 problem: the one shape every error response takes.
/// `detail` never carries SQL, readings or national identifiers.
public struct Problem: HTTPResponseError, Encodable, Sendable {
    public struct FieldError: Encodable, Sendable, Equatable {
        /// JSON pointer into the request body, e.g. `/readings/3/diastolic`.
        public var pointer: String
        public var detail: String
    }

    public var type: String
    public var title: String
    public var status: HTTPResponse.Status
    public var detail: String?
    public var errors: [FieldError]
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, type: String, title: String, detail: String? = nil,
        errors: [FieldError] = [], headers: HTTPFields = [:]
    ) {
        self.status = status
        self.type = "https://varde.no/problems/\(type)"
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    private enum CodingKeys: String, CodingKey { case type, title, status, detail, errors }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(title, forKey: .title)
        try c.encode(status.code, forKey: .status)
        try c.encodeIfPresent(detail, forKey: .detail)
        if !errors.isEmpty { try c.encode(errors, forKey: .errors) }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(self))))
    }
}

extension Problem {
    public static func badRequest(_ detail: String, pointer: String? = nil) -> Problem {
        Problem(
            .badRequest, type: "malformed", title: "Malformed request", detail: detail,
            errors: pointer.map { [FieldError(pointer: $0, detail: detail)] } ?? [])
    }

    public static func invalid(_ detail: String, pointer: String?) -> Problem {
        Problem(
            .unprocessableContent, type: "invalid", title: "Invalid values", detail: detail,
            errors: pointer.map { [FieldError(pointer: $0, detail: detail)] } ?? [])
    }

    public static func notFound(_ what: String) -> Problem {
        Problem(.notFound, type: "not-found", title: "Not found", detail: "\(what) not found")
    }

    public static func conflict(_ detail: String, pointer: String? = nil) -> Problem {
        Problem(
            .conflict, type: "conflict", title: "Conflict", detail: detail,
            errors: pointer.map { [FieldError(pointer: $0, detail: detail)] } ?? [])
    }

    /// A request repeated with an `Idempotency-Key` it shares with another request.
    public static func idempotencyKeyReused(_ field: String) -> Problem {
        let detail = "this Idempotency-Key was used before for a request with another value here; use a new key for a new request"
        return Problem(
            .unprocessableContent, type: "idempotency-key-reused", title: "Idempotency-Key reused", detail: detail,
            errors: [FieldError(pointer: field, detail: detail)])
    }

    public static func unsupportedMediaType(_ expected: String) -> Problem {
        Problem(
            .unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported media type",
            detail: "send the body as \(expected)")
    }

    public static let unavailable = Problem(
        .serviceUnavailable, type: "unavailable", title: "Service unavailable",
        detail: "the database is not reachable or too busy; retry shortly", headers: [.retryAfter: "2"])

    /// Too many long polls are waiting (this caller's, or all of them).
    public static let tooManyPolls = Problem(
        .tooManyRequests, type: "too-many-polls", title: "Too many requests",
        detail: "too many long polls are waiting; close one, or poll again later", headers: [.retryAfter: "5"])

    /// More work is waiting than the server takes on; nothing of the request was done.
    public static let overloaded = Problem(
        .serviceUnavailable, type: "overloaded", title: "Service unavailable",
        detail: "the server is busy; nothing was stored, retry shortly", headers: [.retryAfter: "1"])

    public static let internalError = Problem(
        .internalServerError, type: "internal", title: "Internal server error",
        detail: "the error has been logged")
}
