import Logging
import VardeCore

/// The event log in PostgreSQL: append with optimistic concurrency, read a
/// stream or the whole log in global order. The `PGConnection` extensions do
/// the work so that callers already inside a transaction (projector, sweep)
/// can use them too.
public struct EventStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func append(_ appends: [StreamAppend]) async throws -> [AppendedEvent] {
        try await database.transaction { try $0.append(appends, commit: true) }
    }

    public func append(to stream: String, expected: ExpectedVersion, _ events: [NewEvent]) async throws -> [AppendedEvent] {
        try await append([StreamAppend(stream: stream, expected: expected, events: events)])
    }

    public func read(stream: String, from version: Int64 = 1, through last: Int64 = .max) async throws -> [RecordedEvent] {
        try await database.withConnection { try $0.readStream(stream, from: version, through: last) }
    }

    public func readAll(after position: Int64, limit: Int = 1000, types: [String]? = nil) async throws -> [RecordedEvent] {
        try await database.withConnection { try $0.readAll(after: position, limit: limit, types: types) }
    }

    /// The highest committed position (0 for an empty log).
    public func headPosition() async throws -> Int64 {
        try await database.withConnection { try $0.headPosition() }
    }
}
