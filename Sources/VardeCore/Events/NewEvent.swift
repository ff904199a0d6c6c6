import Foundation

/// An event about to be appended: its id, type, schema version and JSON body.
public struct NewEvent: Sendable, Equatable {
    public var id: UUID
    public var type: String
    public var schemaVersion: Int
    /// UTF-8 JSON of the event body.
    public var data: Data
    public var metadata: EventMetadata

    public init(id: UUID, type: String, schemaVersion: Int = 1, data: Data, metadata: EventMetadata) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.data = data
        self.metadata = metadata
    }
}

/// An event as stored in the log.
public struct RecordedEvent: Sendable, Equatable {
    /// Global position: strictly increasing in commit order, possibly with gaps.
    public var position: Int64
    public var stream: String
    /// 1-based version within the stream, without gaps.
    public var version: Int64
    public var id: UUID
    public var type: String
    public var schemaVersion: Int
    public var data: Data
    public var metadata: EventMetadata
    public var recordedAt: Date
    /// SHA-256 over the previous event's hash and this event's canonical encoding.
    public var hash: [UInt8]

    public init(
        position: Int64, stream: String, version: Int64, id: UUID, type: String, schemaVersion: Int,
        data: Data, metadata: EventMetadata, recordedAt: Date, hash: [UInt8]
    ) {
        self.position = position
        self.stream = stream
        self.version = version
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.data = data
        self.metadata = metadata
        self.recordedAt = recordedAt
        self.hash = hash
    }
}
