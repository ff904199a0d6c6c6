import CLibPQ
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle

/// Keeps one connection LISTENing on `varde_events` (sent by `varde_append` at
/// commit, payload = the batch's last position) and moves `head` forward, and
/// on `varde_gateway_keys` (sent by the projector when it writes a key
/// revocation, payload = the schema), which empties `gatewayKeys`. On a lost
/// connection it reconnects with back-off, reads the head position itself,
/// wakes every waiter and empties `gatewayKeys`, since notifications sent
/// meanwhile are gone.
public final class NotificationListener: Service, Sendable {
    public let head: Watermark
    public let gatewayKeys: GatewayKeyCache
    public let feeds: FeedSignals
    private let database: Database
    private let logger: Logger
    private let thread = NIOThreadPool(numberOfThreads: 1)

    public init(
        database: Database, head: Watermark = Watermark(), gatewayKeys: GatewayKeyCache = GatewayKeyCache(),
        feeds: FeedSignals = FeedSignals(), logger: Logger
    ) {
        self.database = database
        self.head = head
        self.gatewayKeys = gatewayKeys
        self.feeds = feeds
        self.logger = logger
    }

    public func run() async throws {
        thread.start()
        defer { thread.shutdownGracefully { _ in } }
        await withGracefulShutdownHandler {
            var backoff = Duration.milliseconds(100)
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    try await listen()
                } catch {
                    logger.warning("event notifications interrupted; reconnecting", metadata: ["error": "\(error)"])
                    head.wakeAll()
                    feeds.wakeAll()
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(5))
                }
            }
        } onGracefulShutdown: {
        }
    }

    private func listen() async throws {
        let database = self.database
        let connection = try await thread.runIfActive { try database.dedicatedConnection() }
        let schema = try await thread.runIfActive {
            try connection.execute("LISTEN varde_events; LISTEN varde_gateway_keys; LISTEN varde_feed")
            return try connection.query("SELECT current_schema()").requireString(0, 0)
        }
        let current = try await thread.runIfActive {
            try connection.headPosition()
        }
        gatewayKeys.invalidate()
        head.advance(to: current)
        head.wakeAll()
        feeds.wakeAll()
        logger.debug("listening for event notifications")
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // The channel is per database, not per schema: a payload may be another
            // schema's position (parallel test schemas, a scratch schema). Treat a
            // notification as a wake-up and read this schema's head, so the mark
            // never runs ahead of our own log and leaves waiters asleep.
            let (gatewayKeys, feeds) = (self.gatewayKeys, self.feeds)
            let current = try await thread.runIfActive { () throws -> Int64? in
                let notifications = try connection.awaitNotifications(timeoutMilliseconds: 250)
                if notifications.contains(where: { $0.channel == "varde_gateway_keys" && $0.payload == schema }) {
                    gatewayKeys.invalidate()
                }
                for n in notifications where n.channel == "varde_feed" && n.payload.hasPrefix(schema + ":") {
                    let teams = n.payload.dropFirst(schema.count + 1)
                    if teams == "*" {
                        feeds.wakeAll()
                    } else {
                        feeds.wake(teams.split(separator: ",").compactMap { UUID(uuidString: String($0)) })
                    }
                }
                guard notifications.contains(where: { $0.channel == "varde_events" }) else { return nil }
                return try connection.headPosition()
            }
            if let current { head.advance(to: current) }
        }
    }
}

extension PGConnection {
    /// Blocks up to `timeoutMilliseconds` for notifications; returns their
    /// channels and payloads. Throws when the connection is lost.
    func awaitNotifications(timeoutMilliseconds: Int32) throws -> [(channel: String, payload: String)] {
        try withHandle { handle in
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, timeoutMilliseconds)
            guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else {
                throw PGError(.connection, message: String(cString: PQerrorMessage(handle)))
            }
            var notifications: [(channel: String, payload: String)] = []
            while let notification = PQnotifies(handle) {
                notifications.append(
                    (
                        String(cString: notification.pointee.relname),
                        notification.pointee.extra.map { String(cString: $0) } ?? ""
                    ))
                PQfreemem(notification)
            }
            return notifications
        }
    }
}
