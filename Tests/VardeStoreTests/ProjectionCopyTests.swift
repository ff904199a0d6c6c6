import Foundation
import Testing
import VardeTestSupport

@testable import VardeCore
@testable import VardeStore

/// Readings and feed entries go into PostgreSQL by binary COPY (`CopyBinary`).
/// Each row written that way must be the row PostgreSQL makes of the same
/// values given as text (uuids, RFC 3339 instants, JSON): the test COPYs
/// the rows in, then finds each one again with a query that compares every
/// column with a text parameter.
@Suite("Binary COPY of readings and feed entries")
struct ProjectionCopyTests {
    static let instants = [
        Date(timeIntervalSince1970: 1_740_000_000.1236),  // rounds to .124
        Date(timeIntervalSince1970: -1.5),  // before 1970
        Date(timeIntervalSince1970: 900_000_000.999),  // before 2000
        Date(timeIntervalSince1970: 4_102_444_800),  // 2100
    ]

    static let readings: [ProjectionRows.Reading] = [
        reading(.bloodPressure(systolic: 120.5, diastolic: 80, pulse: 72), serial: "BP-1", gateway: UUID(), key: 1, at: instants[0]),
        reading(.bloodPressure(systolic: 120, diastolic: 80, pulse: nil), serial: nil, gateway: nil, key: 2, at: instants[1]),
        reading(.spo2(percent: 94), serial: "Måler-1", gateway: UUID(), key: 3, at: instants[2]),
        reading(.weight(kg: 0.1), serial: nil, gateway: UUID(), key: 4, at: instants[3]),
        reading(.pulse(perMinute: 61), serial: "a\\b\"c", gateway: nil, key: 5, at: instants[0]),
        reading(.temperature(celsius: -2.5), serial: "T\t1\n2", gateway: nil, key: 6, at: instants[1]),
        reading(.temperature(celsius: 1e300), serial: "", gateway: nil, key: 7, at: instants[2]),
    ]

    static func reading(_ value: MeasurementValue, serial: String?, gateway: UUID?, key: Int64, at: Date) -> ProjectionRows.Reading {
        ProjectionRows.Reading(
            event_id: UUID(), patient_id: UUID(), kind: value.kind.rawValue, measured_at: at,
            received_at: at.addingTimeInterval(3.25), value: value, device_serial: serial, gateway_id: gateway,
            gateway_reading_id: "sys|r-\(serial ?? "-")", voided: serial == nil, position: 9_000_000_001,
            event_position: 8_000_000_000 + key)
    }

    static func feedItem(stamped: Bool) -> ProjectionRows.FeedItem {
        ProjectionRows.FeedItem(
            id: UUID(), patientId: UUID(), severity: "red", rule: "spo2.low", measurement: "spo2", state: stamped ? "resolved" : "open",
            change: stamped ? "resolved" : nil, worstValue: 84.5, limit: 85, breachCount: 3, readings: [UUID(), UUID()],
            thresholdVersion: 2, raisedAt: EventDate.format(instants[0]), teams: [UUID()],
            acknowledged: stamped
                ? AlertStamp(by: ActorRef(subject: "nurse-1", role: "nurse"), at: instants[0], note: "ringt \"pasient\" – æøå\t!") : nil,
            escalated: nil, resolved: stamped ? AlertStamp(by: .system, at: instants[1], note: "line\nbreak \\ ok") : nil,
            resolution: stamped ? "withdrawn" : nil, overdueSince: nil)
    }

    static func json(_ write: (inout JSONWriter) -> Void) -> String {
        var w = JSONWriter(capacity: 256)
        write(&w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    @Test("every column of a reading arrives as PostgreSQL reads the same value from text")
    func readingsRoundTrip() async throws {
        try await TestDatabase.with { database, _ in
            let rows = Self.readings
            let stored = try await database.transaction { c in
                var copy = CopyBinary(capacity: 1024)
                for row in rows { row.write(to: &copy) }
                return try c.copyIn("COPY readings (\(ProjectionRows.Reading.columns)) FROM STDIN (FORMAT binary)", copy.finished)
            }
            #expect(stored == Int64(rows.count))
            for row in rows {
                let found = try await database.withConnection { c in
                    try c.query(
                        """
                        SELECT count(*) FROM readings WHERE event_id = $1::uuid AND patient_id = $2::uuid AND kind = $3
                          AND measured_at = $4::timestamptz AND received_at = $5::timestamptz AND value = $6::jsonb
                          AND device_serial IS NOT DISTINCT FROM $7 AND gateway_id IS NOT DISTINCT FROM $8::uuid
                          AND gateway_reading_id = $9 AND voided = $10 AND position = $11 AND event_position = $12
                        """,
                        [
                            row.event_id, row.patient_id, row.kind, EventDate.format(row.measured_at), EventDate.format(row.received_at),
                            Self.json { row.value.write(to: &$0) }, row.device_serial, row.gateway_id, row.gateway_reading_id,
                            row.voided, row.position, row.event_position,
                        ]
                    ).requireInt(0, 0)
                }
                #expect(found == 1, "reading \(row.value) measured \(EventDate.format(row.measured_at))")
            }
        }
    }

    @Test("every column of a feed entry arrives as PostgreSQL reads the same value from text")
    func feedRoundTrip() async throws {
        try await TestDatabase.with { database, _ in
            let rows = [
                ProjectionRows.Feed(
                    team_id: UUID(), position: 10, seq: 0, alert_id: UUID(), patient_id: UUID(), change: "resolved",
                    item: Self.feedItem(stamped: true)),
                ProjectionRows.Feed(
                    team_id: UUID(), position: Int64.max, seq: Int(Int32.max), alert_id: UUID(), patient_id: UUID(),
                    change: "raised", item: Self.feedItem(stamped: false)),
            ]
            let stored = try await database.transaction { c in
                var copy = CopyBinary(capacity: 1024)
                for row in rows { row.write(to: &copy) }
                return try c.copyIn("COPY alert_feed (\(ProjectionRows.Feed.columns)) FROM STDIN (FORMAT binary)", copy.finished)
            }
            #expect(stored == 2)
            for row in rows {
                let found = try await database.withConnection { c in
                    try c.query(
                        """
                        SELECT count(*) FROM alert_feed WHERE team_id = $1::uuid AND position = $2 AND seq = $3 AND alert_id = $4::uuid
                          AND patient_id = $5::uuid AND change = $6 AND item = $7::jsonb
                        """,
                        [
                            row.team_id, row.position, row.seq, row.alert_id, row.patient_id, row.change,
                            Self.json { row.item.write(to: &$0) },
                        ]
                    ).requireInt(0, 0)
                }
                #expect(found == 1, "feed entry at \(row.position)")
            }
            // Optional members stay out of the stored item.
            let keys = try await database.withConnection { c in
                try c.query(
                    "SELECT string_agg(k, ',' ORDER BY k) FROM alert_feed, jsonb_object_keys(item) k WHERE position = $1", [Int64.max]
                )
                .requireString(0, 0)
            }
            for key in ["change", "acknowledged", "escalated", "resolved", "resolution", "overdueSince"] {
                #expect(!keys.split(separator: ",").contains(Substring(key)), "\(key)")
            }
        }
    }
}
