import Logging
import VardeCore

/// `varde projections rebuild`: empties the read models and replays the whole
/// log through the projector, the same code path the live server runs. The
/// reset holds the projector's checkpoint lock, so a running server's
/// projector waits and then simply continues from the rebuilt state.
public struct ProjectionRebuild: Sendable {
    public static let tables = ["teams", "gateways", "gateway_keys", "patients", "device_bindings", "readings", "alerts", "alert_feed"]

    let database: Database
    let pageSize: Int
    let logger: Logger

    public init(database: Database, pageSize: Int = 5000, logger: Logger) {
        self.database = database
        self.pageSize = pageSize
        self.logger = logger
    }

    /// Returns the number of events replayed; `progress` gets (position, events so far) per page.
    public func run(progress: (Int64, Int) -> Void = { _, _ in }) async throws -> Int {
        let name = Projector.subscriptionName
        try await database.transaction { c in
            _ = try c.lockCheckpoint(name)
            try c.execute("TRUNCATE " + Self.tables.joined(separator: ", "))
            try c.saveCheckpoint(name, position: 0)
        }
        let projector = Projector()
        let subscription = Subscription(name: name, database: database, handler: projector, head: Watermark(), pageSize: pageSize, logger: logger)
        var count = 0
        while let page = try await subscription.step() {
            count += page.count
            progress(page.position, count)
        }
        return count
    }
}
