import Foundation
import Hummingbird
import Logging

/// One log line per finished request: method, route template, status and
/// duration (the context's logger adds the request id). The path and query
/// are never logged: they may carry a national identifier
/// (`subject:identifier=…|<fødselsnummer>`), a patient id or a cursor; the
/// template (`/v1/patients/{patientId}`) says which operation ran.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: Int(response.status.code), since: start)
            return response
        } catch {
            log(request, context, status: Int((error as? any HTTPResponseError)?.status.code ?? 500), since: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "route": .string(context.endpointPath ?? "unmatched"),
                "status": .stringConvertible(status), "ms": .string(String(format: "%.1f", ms)),
            ])
    }
}
