/// What an append expects of its stream before it writes.
public enum ExpectedVersion: Sendable, Equatable {
    /// Append whatever the stream holds.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's last version must be exactly this.
    case exact(Int64)

    /// Encoding used by the SQL append function: -1 any, 0 no stream, n exact.
    public var sqlValue: Int64 {
        switch self {
        case .any: -1
        case .noStream: 0
        case .exact(let n): n
        }
    }
}
