import Foundation
import Hummingbird
import VardeCore

/// Reading request bodies: media type (415), size (413), JSON syntax and
/// `StrictJSON`'s gate (400, or 422 for values no field may hold), shape (400
/// with a JSON pointer).
public enum RequestBody {
    public static let defaultLimit = 4 * 1024 * 1024

    /// Collects the body after checking its media type against `accepted`
    /// (`application/json`, `application/fhir+json`, …).
    public static func collect(
        _ request: Request, accepting accepted: [String] = ["application/json"], limit: Int = defaultLimit
    ) async throws -> ByteBuffer {
        let mediaType = request.headers[.contentType]?
            .split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let mediaType, accepted.contains(mediaType) else {
            throw Problem.unsupportedMediaType(accepted.joined(separator: " or "))
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch {
            throw Problem(
                .contentTooLarge, type: "too-large", title: "Request body too large",
                detail: "the body may be at most \(limit) bytes")
        }
    }

    /// Collects and decodes a JSON body.
    public static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, accepting accepted: [String] = ["application/json"],
        limit: Int = defaultLimit
    ) async throws -> T {
        let buffer = try await collect(request, accepting: accepted, limit: limit)
        return try decode(type, from: Data(buffer: buffer))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            try StrictJSON.check(data)
        } catch {
            throw problem(for: error)
        }
        let decoder = JSONDecoder()
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    static func problem(for failure: StrictJSON.Failure) -> Problem {
        let pointer = failure.pointer.isEmpty ? nil : failure.pointer
        switch failure.kind {
        case .malformed: return .badRequest(failure.reason, pointer: pointer)
        case .invalidValue: return .invalid(failure.reason, pointer: pointer)
        }
    }

    static func problem(for error: DecodingError) -> Problem {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .badRequest("the body is not valid JSON")
        case .keyNotFound(let key, let context):
            return .badRequest("missing field", pointer: pointer(context.codingPath + [key]))
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return .badRequest(context.debugDescription, pointer: pointer(context.codingPath))
        @unknown default:
            return .badRequest("the body does not have the expected shape")
        }
    }

    static func pointer(_ path: [any CodingKey]) -> String {
        "/" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
    }
}
