import Logging
import NIOPosix
import ServiceLifecycle

/// The way into PostgreSQL: a bounded pool of libpq connections and the threads
/// that run their blocking calls. Work is handed over as a synchronous closure
/// that runs on one of those threads with a connection of its own.
public final class Database: Service, Sendable {
    public let conninfo: String
    /// Server options for every connection (e.g. `-c search_path=…`), or nil.
    public let options: String?
    /// The role to connect as, overriding the conninfo's, or nil.
    public let user: String?
    let pool: ConnectionPool
    let threads: NIOThreadPool
    let logger: Logger

    /// - Parameters:
    ///   - conninfo: a libpq conninfo string or URL; empty for libpq's defaults.
    ///   - maxConnections: the pool's bound, and the number of libpq threads.
    ///   - user: the role to connect as, when not the conninfo's.
    ///   - checkoutTimeout: how long work waits for a free connection before
    ///     it fails with `PGError(.unavailable)`.
    public init(
        conninfo: String, options: String? = nil, user: String? = nil, maxConnections: Int = 10,
        checkoutTimeout: Duration = .seconds(2), logger: Logger
    ) {
        self.conninfo = conninfo
        self.options = options
        self.user = user
        self.pool = ConnectionPool(capacity: maxConnections, checkoutTimeout: checkoutTimeout)
        self.threads = NIOThreadPool(numberOfThreads: maxConnections)
        self.logger = logger
        threads.start()
    }

    /// Runs `body` on a libpq thread with a pooled connection. A connection
    /// found dead at checkout (say, after a server restart) is replaced
    /// silently; one that breaks during `body` is discarded and the error thrown.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PGConnection) throws -> T
    ) async throws -> T {
        let lease = try await pool.acquire()
        let conninfo = self.conninfo, options = self.options, user = self.user
        let pool = self.pool
        do {
            return try await threads.runIfActive {
                let connection: PGConnection
                do {
                    switch lease {
                    case .existing(let idle) where idle.isAlive(): connection = idle
                    case .existing, .open: connection = try PGConnection.connect(conninfo, options: options, user: user)
                    }
                } catch {
                    pool.release(nil)
                    throw error
                }
                do {
                    let value = try body(connection)
                    pool.release(connection.isBroken ? nil : connection)
                    return value
                } catch {
                    pool.release(connection.isBroken ? nil : connection)
                    throw error
                }
            }
        } catch let error as NIOThreadPoolError.ThreadPoolInactive {
            pool.release(nil)
            throw PGError(.unavailable, message: "\(error)")
        }
    }

    /// `withConnection` inside BEGIN … COMMIT.
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PGConnection) throws -> T
    ) async throws -> T {
        try await withConnection { connection in try connection.transaction(body) }
    }

    /// Waits for graceful shutdown, then closes the pool and its threads.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Connections handed out and callers waiting for one (a metric).
    public var usage: (inUse: Int, waiting: Int) { pool.usage }

    /// A connection outside the pool, for work that holds it for long (LISTEN).
    public func dedicatedConnection() throws -> PGConnection {
        try PGConnection.connect(conninfo, options: options, user: user)
    }

    public func close() async {
        let idle = pool.close()
        _ = idle  // released here; PQfinish runs in deinit
        try? await threads.shutdownGracefully()
    }
}
