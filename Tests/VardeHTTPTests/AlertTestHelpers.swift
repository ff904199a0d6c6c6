import Foundation
import Testing
import VardeCore
import VardeStore

/// One entry of a team's alert feed, as the client sees it.
struct FeedEntry: Sendable, Equatable {
    var id: String
    var change: String
    var severity: String
    var rule: String
    var state: String
    var cursor: String
    var teams: [String]
    var breachCount: Int
    var worstValue: Double
    var thresholdVersion: Int
    var resolution: String?

    init(_ o: [String: Any]) {
        id = o["id"] as? String ?? ""
        change = o["change"] as? String ?? ""
        severity = o["severity"] as? String ?? ""
        rule = o["rule"] as? String ?? ""
        state = o["state"] as? String ?? ""
        cursor = o["cursor"] as? String ?? ""
        teams = o["teams"] as? [String] ?? []
        breachCount = o["breachCount"] as? Int ?? 0
        worstValue = o["worstValue"] as? Double ?? .nan
        thresholdVersion = o["thresholdVersion"] as? Int ?? 0
        resolution = o["resolution"] as? String
    }

    /// The cursor's (position, seq), decoded the way the server encodes it (test-only knowledge).
    var position: (Int64, Int) { FeedEntry.decode(cursor) }

    static func decode(_ cursor: String) -> (Int64, Int) {
        let parts = String(decoding: Data(base64URLEncoded: cursor) ?? Data(), as: UTF8.self).split(separator: ":")
        return parts.count == 3 ? (Int64(parts[1]) ?? -1, Int(parts[2]) ?? -1) : (-1, -1)
    }
}

struct FeedPage: Sendable {
    var entries: [FeedEntry]
    var next: String
}

extension Client {
    /// A native reading item for `POST /v1/readings`, measured `offset` seconds from now.
    static func item(
        _ id: String, _ kind: String, _ value: Double? = nil, serial: String = "OX-1", offset: TimeInterval = 1,
        systolic: Double? = nil, diastolic: Double? = nil
    ) -> [String: Any] {
        let unit = ["spo2": "%", "pulse": "/min", "temperature": "Cel", "weight": "kg", "bloodPressure": "mm[Hg]"][kind]!
        var o: [String: Any] = ["id": id, "deviceSerial": serial, "measuredAt": World.time(offset), "kind": kind, "unit": unit]
        if let value { o["value"] = value }
        if let systolic { o["systolic"] = systolic }
        if let diastolic { o["diastolic"] = diastolic }
        return o
    }

    /// Posts readings as the gateway, requires every item `created`, waits for the projector; returns the event ids.
    @discardableResult
    func post(_ world: World, _ items: [[String: Any]]) async throws -> [String] {
        let reply = try await request(.post, "/v1/readings", token: world.gatewayKey, json: ["readings": items])
        let results = reply.object["results"] as? [[String: Any]] ?? []
        try #require(reply.status == .ok && results.allSatisfy { $0["status"] as? String == "created" }, "post: \(reply.text)")
        try await settle()
        return results.compactMap { $0["eventId"] as? String }
    }

    /// Waits until the projector has applied the whole log.
    func settle(timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let done = try await database.withConnection { c in
                let head = try c.query("SELECT coalesce(max(position), 0) FROM events").int(0, 0) ?? 0
                return try c.checkpoint(Projector.subscriptionName) >= head
            }
            if done { return }
            try #require(ContinuousClock.now < deadline, "projector did not catch up")
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    func feed(_ team: UUID, token: String, after: String? = nil, limit: Int? = nil, wait: Double? = nil) async throws -> FeedPage {
        var query: [String] = []
        if let after { query.append("after=\(after)") }
        if let limit { query.append("limit=\(limit)") }
        if let wait { query.append("wait=\(wait)") }
        let reply = try await request(
            .get, "/v1/teams/\(team)/alerts" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), token: token)
        try #require(reply.status == .ok, "feed: \(reply.status) \(reply.text)")
        let alerts = reply.object["alerts"] as? [[String: Any]] ?? []
        return FeedPage(entries: alerts.map(FeedEntry.init), next: reply.object["next"] as? String ?? "")
    }

    /// Every feed entry after `after`, page by page, and the cursor to continue from.
    func drain(_ team: UUID, token: String, after: String? = nil, limit: Int = 500) async throws -> FeedPage {
        var all: [FeedEntry] = []
        var cursor = after
        while true {
            let page = try await feed(team, token: token, after: cursor, limit: limit)
            all += page.entries
            if page.entries.isEmpty { return FeedPage(entries: all, next: page.next) }
            cursor = page.next
        }
    }

    func act(_ action: String, _ alert: String, token: String, note: String? = nil) async throws -> Reply {
        try await request(.post, "/v1/alerts/\(alert)/\(action)", token: token, json: note.map { ["note": $0] } ?? [String: Any]())
    }

    func view(_ patient: UUID, token: String) async throws -> [String: Any] {
        let reply = try await request(.get, "/v1/patients/\(patient)", token: token)
        try #require(reply.status == .ok, "view: \(reply.status) \(reply.text)")
        return reply.object
    }

    /// Enrols a further patient in `world`'s teams with a bound device.
    func patient(_ world: World, nationalID: String, program: String = "kols", serial: String, kind: String = "pulseOximeter") async throws
        -> UUID
    {
        let id = try await enroll(
            nationalID: nationalID, program: program, kommune: world.kommune, sykehus: world.sykehus, clinician: world.clinician)
        try await bind(serial, kind: kind, to: id, clinician: world.clinician)
        return id
    }

    /// The patient's alert events, oldest first: (type, actor subject, data).
    func alertEvents(_ patient: UUID) async throws -> [(type: String, by: String?, data: [String: Any])] {
        let rows = try await database.withConnection { c in
            let r = try c.query(
                """
                SELECT type, data->'by'->>'subject', data::text FROM events
                WHERE stream_id = $1 AND type LIKE 'Alert%' ORDER BY position
                """, ["patient-\(patient.uuidString.lowercased())"])
            return (0..<r.rowCount).map { (r.string($0, 0)!, r.string($0, 1), r.string($0, 2)!) }
        }
        return rows.map { ($0.0, $0.1, (try? JSONSerialization.jsonObject(with: Data($0.2.utf8))) as? [String: Any] ?? [:]) }
    }
}

extension Client {
    /// Parses an RFC 3339 instant with milliseconds, as events and views write them.
    static func instant(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }
}

extension UUID {
    var lower: String { uuidString.lowercased() }
}
