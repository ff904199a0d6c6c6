import Hummingbird

/// A W3C `traceparent` (Trace Context, level 1) sent with a request: kept,
/// logged with the request (`trace_id`), and written into the metadata of the
/// events the request records, beside the request id. A malformed header is
/// ignored (the request proceeds without one), as the standard asks.
enum TraceContext {
    @TaskLocal static var current: String?

    /// `00-<32 hex>-<16 hex>-<2 hex>`, trace and parent ids not all zero.
    static func parse(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "00", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2 else { return nil }
        let hex = parts.dropFirst().allSatisfy { $0.allSatisfy { $0.isHexDigit && ($0.isNumber || $0.isLowercase) } }
        guard hex, parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" }) else { return nil }
        return parts.joined(separator: "-")
    }

    static func traceID(_ traceparent: String) -> Substring { traceparent.split(separator: "-")[1] }
}

struct TraceContextMiddleware: RouterMiddleware {
    typealias Context = AppContext

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard let traceparent = TraceContext.parse(request.headers[.traceparent]) else { return try await next(request, context) }
        var context = context
        context.traceparent = traceparent
        context.logger[metadataKey: "trace_id"] = .string(String(TraceContext.traceID(traceparent)))
        return try await TraceContext.$current.withValue(traceparent) { try await next(request, context) }
    }
}
