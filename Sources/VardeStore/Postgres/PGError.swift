/// An error from PostgreSQL or libpq.
///
/// `description` stays generic so nothing sensitive (SQL, values) reaches a
/// client by accident; `debugDescription` carries the server's message for logs.
public struct PGError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Code: Sendable, Equatable {
        /// Could not connect, or the connection broke (server restart, network).
        case connection
        /// The server refused a statement; see `sqlState`.
        case server
        /// The pool is shut down, or waiting for a connection was cancelled.
        case unavailable
        /// A result did not have the shape the caller expected.
        case protocolViolation
    }

    public var code: Code
    /// Five-character SQLSTATE, when the server sent one.
    public var sqlState: String?
    /// The server's primary message (may quote values: log it, never return it).
    public var message: String
    /// The server's DETAIL field.
    public var detail: String?

    public init(_ code: Code, sqlState: String? = nil, message: String, detail: String? = nil) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
    }

    public var description: String {
        switch code {
        case .connection: "database connection failed"
        case .server: "database error \(sqlState ?? "?????")"
        case .unavailable: "database unavailable"
        case .protocolViolation: "unexpected database result"
        }
    }

    public var debugDescription: String {
        "PGError(\(code), sqlState: \(sqlState ?? "-"), message: \(message)\(detail.map { ", detail: \($0)" } ?? ""))"
    }

    /// SQLSTATE 23505.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// The server is busy rather than the request wrong: a statement cancelled
    /// by `statement_timeout` (57014), too many connections (53300), a
    /// serialization failure or deadlock (40001, 40P01). Retrying later may work.
    public var isTransient: Bool {
        ["57014", "53300", "53400", "40001", "40P01"].contains(sqlState ?? "")
    }

    /// The connection should be thrown away (class 08, admin shutdown 57P…).
    public var isConnectionLoss: Bool {
        code == .connection || (sqlState.map { $0.hasPrefix("08") || $0.hasPrefix("57P") } ?? false)
    }
}
