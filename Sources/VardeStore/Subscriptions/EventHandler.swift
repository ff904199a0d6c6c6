import VardeCore

/// Work a subscription does for a page of events, inside the transaction that
/// also moves its checkpoint: either both happen or neither.
public protocol EventHandler: Sendable {
    /// Only these event types are read (nil: all).
    var eventTypes: [String]? { get }
    func handle(_ events: [RecordedEvent], connection: PGConnection) throws
}

extension EventHandler {
    public var eventTypes: [String]? { nil }
}
