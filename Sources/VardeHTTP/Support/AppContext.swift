import Hummingbird
import Logging

/// The request context: Hummingbird's core storage plus who is calling,
/// filled in by `AuthMiddleware` before any route runs.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: Caller?
    /// The request's W3C `traceparent`, when it sent a valid one.
    public var traceparent: String?
    /// The peer's address (the proxy's, behind one; see `AuthMiddleware.source`).
    public let peer: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.caller = nil
        self.traceparent = nil
        self.peer = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are read by `RequestBody` with per-route limits.
    public var maxUploadSize: Int { RequestBody.defaultLimit }
}
