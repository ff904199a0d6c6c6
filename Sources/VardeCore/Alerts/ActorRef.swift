import Foundation

/// Who did something: the credential's subject and role. Never a national identifier.
public struct ActorRef: Codable, Equatable, Sendable, Hashable {
    public var subject: String
    /// `nurse`, `clinician`, `gateway`, `system`, ...
    public var role: String

    public init(subject: String, role: String) {
        self.subject = subject
        self.role = role
    }

    /// The server itself (sweeps, automatic resolution).
    public static let system = ActorRef(subject: "system", role: "system")
}

/// A step taken on an alert: by whom, when, with an optional note.
public struct AlertStamp: Codable, Equatable, Sendable {
    public var by: ActorRef
    public var at: Date
    public var note: String?

    public init(by: ActorRef, at: Date, note: String? = nil) {
        self.by = by
        self.at = at
        self.note = note
    }
}
