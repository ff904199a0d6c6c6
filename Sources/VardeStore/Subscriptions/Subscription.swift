import Logging
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

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let seen = self.head.value
                    if try await self.step() == nil {
                        _ = await self.head.wait(until: seen + 1, timeout: self.pollInterval)
                    }
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.error("subscription failed; retrying", metadata: ["subscription": "\(self.name)", "error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// Handles one page; nil when caught up (the progress mark is then moved
    /// to the checkpoint, which may have been advanced by another instance).
    public func step() async throws -> (position: Int64, count: Int)? {
        let name = self.name, handler = self.handler, pageSize = self.pageSize
        let page = try await database.withConnection { try $0.handleNextPage(name, handler: handler, pageSize: pageSize) }
        if let page {
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
