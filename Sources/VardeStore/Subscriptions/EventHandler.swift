import VardeCore

/// Work a subscription does for a page of events, inside the transaction that
/// also moves its checkpoint: either both happen or neither.
public protocol EventHandler: Sendable {
    /// Only these event types are read (nil: all).
    var eventTypes: [String]? { get }
    func handle(_ events: [RecordedEvent], connection: PGConnection) throws
    /// The same, leaving statements for the subscription to send with its
    /// checkpoint and COMMIT, in one round trip. By default: `handle`, nothing left.
    func handlePage(_ events: [RecordedEvent], connection: PGConnection) throws -> [PGConnection.Statement]
}

extension EventHandler {
    public var eventTypes: [String]? { nil }

    public func handlePage(_ events: [RecordedEvent], connection: PGConnection) throws -> [PGConnection.Statement] {
        try handle(events, connection: connection)
        return []
    }
}
