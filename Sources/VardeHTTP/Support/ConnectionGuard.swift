import Atomics
import NIOCore
import NIOHTTPTypes

/// Per connection, before any request reaches a route: a cap on open
/// connections (beyond it a new one is closed at once), and a deadline for
/// reading each request whole. Hummingbird's idle timeout resets on every
/// body chunk, so a body trickled a byte a second would hold a connection
/// and a handler forever; here, a request whose end has not arrived
/// `readTimeout` after its head closes the connection. (A head trickled
/// byte by byte never becomes a part at all: the idle timeout ends it.)
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    /// Open connections of this process, shared by every guard.
    final class Count: Sendable {
        let limit: Int
        private let open = ManagedAtomic(0)

        init(limit: Int) { self.limit = limit }

        var value: Int { open.load(ordering: .relaxed) }

        func enter() -> Bool {
            if open.wrappingIncrementThenLoad(ordering: .relaxed) > limit {
                open.wrappingDecrement(ordering: .relaxed)
                return false
            }
            return true
        }

        func leave() { open.wrappingDecrement(ordering: .relaxed) }
    }

    private let count: Count
    private let readTimeout: TimeAmount
    private var counted = false
    private var deadline: Scheduled<Void>?

    init(count: Count, readTimeout: TimeAmount) {
        self.count = count
        self.readTimeout = readTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        admit(context)
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context)
        context.fireChannelActive()
    }

    private func admit(_ context: ChannelHandlerContext) {
        guard !counted else { return }
        counted = count.enter()
        if !counted { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    private func release() {
        deadline?.cancel()
        deadline = nil
        if counted { count.leave() }
        counted = false
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: readTimeout) { channel.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }
}
