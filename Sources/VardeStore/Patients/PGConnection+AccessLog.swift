import Foundation

/// Whether an access happened: attempts are logged as well as accesses.
public enum AccessOutcome: String, Sendable, Codable, CaseIterable {
    case allowed
    /// Refused because the patient is outside the caller's teams (answered 404).
    case denied
    /// Refused because the caller's role may not do this (403).
    case forbidden
    /// Left out of a search's answer: outside the caller's teams.
    case filtered
    /// A reading refused for this patient (outside the gateway's reach, or invalid for them).
    case refused
}

/// One access-log entry: who looked at or changed what, and when.
public struct AccessEntry: Sendable, Equatable {
    public var requestID: String
    public var subject: String
    public var role: String
    public var teams: [UUID]
    public var patientID: UUID?
    /// What was done, e.g. `patient.read`, `reading.void`, `alerts.feed`.
    public var action: String
    /// `METHOD /path` as routed (ids in the path, never a national identifier).
    public var route: String
    public var outcome: AccessOutcome

    public init(
        requestID: String, subject: String, role: String, teams: [UUID], patientID: UUID?, action: String, route: String,
        outcome: AccessOutcome = .allowed
    ) {
        self.requestID = requestID
        self.subject = subject
        self.role = role
        self.teams = teams
        self.patientID = patientID
        self.action = action
        self.route = route
        self.outcome = outcome
    }
}

extension PGConnection {
    /// Appends entries to the append-only `access_log`.
    public func logAccess(_ entries: [AccessEntry]) throws {
        guard let statement = try Self.accessLogStatement(entries) else { return }
        try query(statement)
    }

    /// The INSERT `logAccess` runs (nil for no entries), for sending in a pipeline.
    public static func accessLogStatement(_ entries: [AccessEntry]) throws -> Statement? {
        guard !entries.isEmpty else { return nil }
        struct Row: Encodable {
            var request_id: String, subject: String, role: String, teams: [UUID], patient_id: UUID?, action: String, route: String
            var outcome: String
        }
        let rows = entries.map {
            Row(
                request_id: $0.requestID, subject: $0.subject, role: $0.role, teams: $0.teams, patient_id: $0.patientID,
                action: $0.action, route: $0.route, outcome: $0.outcome.rawValue)
        }
        return Statement(
            """
            INSERT INTO access_log (request_id, subject, role, teams, patient_id, action, route, outcome)
            SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
                request_id text, subject text, role text, teams uuid[], patient_id uuid, action text, route text, outcome text)
            """, [String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)])
    }
}
