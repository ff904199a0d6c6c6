import Foundation
import VardeCore

/// Events for one stream, with what the stream must look like first.
public struct StreamAppend: Sendable {
    public var stream: String
    public var expected: ExpectedVersion
    public var events: [NewEvent]

    public init(stream: String, expected: ExpectedVersion, events: [NewEvent]) {
        self.stream = stream
        self.expected = expected
        self.events = events
    }
}

/// Where an appended event landed.
public struct AppendedEvent: Sendable, Equatable {
    public var id: UUID
    public var stream: String
    public var version: Int64
    public var position: Int64
    /// True when the event id was already stored: nothing was written.
    public var duplicate: Bool
}

/// Why an append was refused.
public enum AppendError: Error, Equatable, Sendable {
    /// The stream's version was not the one expected.
    case versionConflict(stream: String, expected: ExpectedVersion, actual: Int64)
    /// Some, but not all, of the batch's event ids are stored already.
    case partialDuplicate
}
