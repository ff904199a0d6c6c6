import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VardeCore

/// A named catch-up subscriber: follows the log from its stored checkpoint,
/// handles pages in transactions, and sleeps until LISTEN/NOTIFY says there is
/// more (or a slow poll fires, in case a notification was lost).
public final class Subscription<Handler: EventHandler>: Service, Sendable {
    public let name: String
    /// The checkpoint this process last committed; waiters use it for
    /// read-your-writes and long polls.
    public let progress: Watermark
    /// Whether it keeps up (see `/readyz`).
    public let health = SubscriptionHealth()
    private let database: Database
    private let handler: Handler
    private let head: Watermark
    private let pageSize: Int
    private let pollInterval: Duration
    private let logger: Logger

    public init(
        name: String, database: Database, handler: Handler, head: Watermark, progress: Watermark = Watermark(),
        pageSize: Int = 500, pollInterval: Duration = .seconds(5), logger: Logger
    ) {
        self.name = name
        self.database = database
        self.handler = handler
        self.head = head
        self.progress = progress
        self.pageSize = pageSize
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Follows the log until shutdown. A failing page is retried with
    /// back-off (1 s doubling to 30 s) and reported in `health`; the error is
    /// logged when it starts, then once a minute, and its end is logged too.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var backoff = Duration.seconds(1)
            while !Task.isCancelled {
                do {
                    let seen = self.head.value
                    let page = try await self.step()
                    if let ended = self.health.succeeded() {
                        self.logger.notice(
                            "subscription recovered", metadata: ["subscription": "\(self.name)", "attempts": "\(ended.attempts)"])
                    }
                    backoff = .seconds(1)
                    if page == nil { _ = await self.head.wait(until: seen + 1, timeout: self.pollInterval) }
                } catch is CancellationError {
                    return
                } catch {
                    if self.health.failed("\(error)", now: Date()) {
                        let metadata: Logger.Metadata = [
                            "subscription": "\(self.name)", "error": "\(error)", "checkpoint": "\(self.progress.value)",
                            "head": "\(self.head.value)",
                        ]
                        // A database restarting is expected to heal by itself: a warning,
                        // until it has lasted half a minute. Anything else is an error at once.
                        let since = self.health.failure?.since ?? Date()
                        if let error = error as? PGError, error.isConnectionLoss || error.code == .unavailable,
                            Date().timeIntervalSince(since) < 30
                        {
                            self.logger.warning("subscription waits for the database; retrying", metadata: metadata)
                        } else {
                            self.logger.error(
                                "subscription stopped by an error; the read models do not move until it is fixed (see /readyz)",
                                metadata: metadata)
                        }
                    }
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(30))
                }
            }
        }
    }

    /// Handles one page; nil when caught up (the progress mark is then moved
    /// to the checkpoint, which may have been advanced by another instance).
    public func step() async throws -> (position: Int64, count: Int)? {
        let name = self.name, handler = self.handler, pageSize = self.pageSize
        let started = ContinuousClock.now
        let page = try await database.withConnection { try $0.handleNextPage(name, handler: handler, pageSize: pageSize) }
        if let page {
            Timer(label: "varde_projection_page_seconds", dimensions: [("subscription", name)])
                .record(duration: ContinuousClock.now - started)
            Counter(label: "varde_projected_events_total", dimensions: [("subscription", name)]).increment(by: page.count)
            progress.advance(to: page.position)
        } else {
            let checkpoint = try await database.withConnection { try $0.checkpoint(name) }
            progress.advance(to: checkpoint)
        }
        return page
    }

    /// Runs pages until caught up with the log as it is now.
    public func catchUp() async throws {
        while try await step() != nil {}
    }
}
