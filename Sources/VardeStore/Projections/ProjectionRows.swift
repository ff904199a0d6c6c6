import Foundation
import VardeCore

/// Rows the projector writes, encoded as one JSON array per table and page
/// (`jsonb_to_recordset`), so a page costs a handful of statements.
enum ProjectionRows {
    struct Patient: Encodable, Sendable {
        var id: UUID
        var national_id: String
        var kommunenummer: String
        var program: String
        var kommune_team: UUID?
        var sykehus_team: UUID?
        var routing: String
        var status: String
        var enrolled_at: String
        var discharged_at: String?
        var threshold_version: Int
        var thresholds: Thresholds
        var latest: [String: Latest]
        var devices: [Device]
        var version: Int64
        var position: Int64
        var identifiers: [RegisteredIdentifier]
    }

    /// The thresholds in force, with their JSON kept from when they last
    /// changed (they change seldom; the patient row is written every page).
    struct Thresholds: Encodable, Sendable {
        let set: ThresholdSet
        let json: String

        init(_ set: ThresholdSet) {
            self.set = set
            // Encoding this plain value type cannot fail (as `PatientEvent.encode`).
            json = String(decoding: try! EventJSON.encoder.encode(set), as: UTF8.self)
        }

        func encode(to encoder: any Encoder) throws { try set.encode(to: encoder) }
    }

    typealias Latest = LatestReading

    struct Device: Encodable, Sendable {
        var serial: String
        var kind: String
        var from: String
        var to: String?
    }

    struct Binding: Encodable, Sendable {
        var serial: String
        var bound_at: String
        var patient_id: UUID
        var kind: String
        var unbound_at: String?
        var position: Int64
        var identifiers: [RegisteredIdentifier]
    }

    struct Reading: Encodable, Sendable {
        var event_id: UUID
        var patient_id: UUID
        var kind: String
        var measured_at: Date
        var received_at: Date
        var value: MeasurementValue
        var device_serial: String?
        var gateway_id: UUID?
        var gateway_reading_id: String
        var voided: Bool
        /// The last event that changed the row (a void changes it).
        var position: Int64
        /// The reading's own `ReadingRecorded`: the key.
        var event_position: Int64
    }

    struct AlertRow: Encodable, Sendable {
        var id: UUID
        var patient_id: UUID
        var rule: String
        var severity: String
        var state: String
        var teams: [UUID]
        var alert: FeedItem
        var position: Int64
    }

    /// An alert as a feed shows it; also the `alert` column of `alerts`.
    typealias FeedItem = AlertItem

    struct Feed: Encodable, Sendable {
        var team_id: UUID
        var position: Int64
        var seq: Int
        var alert_id: UUID
        var patient_id: UUID
        var change: String
        var item: FeedItem
    }

    struct Team: Encodable, Sendable {
        var id: UUID
        var name: String
        var kind: String
        var kommunenummer: String?
        var health_trust: String?
        var position: Int64
    }

    struct Gateway: Encodable, Sendable {
        var id: UUID
        var name: String
        var teams: [UUID]
        var position: Int64
    }

    struct GatewayKey: Encodable, Sendable {
        var key_id: String
        var gateway_id: UUID
        var hash: String
        var created_at: String
        var revoked_at: String?
        var position: Int64
    }
}

extension AlertItem {
    /// Readings an item names, unless it names every one: the one that raised
    /// the alert and the latest after it. `breachCount` counts them all, and the
    /// patient's alert history names every one. Each update of an alert writes
    /// a feed row: one breached all day long made every row (and every nurse's
    /// poll answer) longer than the last (the soak in docs/benchmarks.md).
    public static let readingsNamed = 20

    public init(_ alert: Alert, patientID: UUID, change: AlertChange?, everyReading: Bool = false) {
        let n = Self.readingsNamed
        let readings = everyReading || alert.readings.count <= n ? alert.readings : [alert.readings[0]] + alert.readings.suffix(n - 1)
        self.init(
            id: alert.id, patientId: patientID, severity: alert.severity.rawValue, rule: alert.rule.rawValue,
            measurement: alert.measurement.rawValue, state: alert.state.rawValue, change: change?.rawValue,
            worstValue: alert.worstValue, limit: alert.limit, breachCount: alert.breachCount, readings: readings,
            thresholdVersion: alert.thresholdVersion, raisedAt: EventDate.format(alert.raisedAt), teams: alert.routedTo,
            acknowledged: alert.acknowledged, escalated: alert.escalated, resolved: alert.resolved,
            resolution: alert.resolution?.rawValue, overdueSince: alert.overdueSince.map(EventDate.format))
    }
}
