import Hummingbird
import Logging

/// The request context: Hummingbird's core storage plus who is calling,
/// filled in by `AuthMiddleware` before any route runs.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: Caller?
    /// The peer's address (the proxy's, behind one; see `AuthMiddleware.source`).
    public let peer: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.caller = nil
        self.peer = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are read by `RequestBody` with per-route limits.
    public var maxUploadSize: Int { RequestBody.defaultLimit }
}
