import Foundation
import VardeCore
import VardeStore

/// JSON shapes of the audit endpoints.
enum AuditViews {
    struct Event: Encodable {
        var position: Int64
        /// The stream the hash chain runs along (needed to recompute it from an export of the whole log).
        var stream: String
        var version: Int64
        var eventId: String
        var type: String
        var schemaVersion: Int
        var metadata: EventMetadata
        var recordedAt: Date
        var hash: String

        init(_ e: RecordedEvent) {
            position = e.position
            stream = e.stream
            version = e.version
            eventId = e.id.lowercasedText
            type = e.type
            schemaVersion = e.schemaVersion
            metadata = e.metadata
            recordedAt = e.recordedAt
            hash = Hex.encode(e.hash)
        }
    }

    /// An event as JSON, its body spliced in byte for byte as stored: auditors
    /// recompute the hash chain from it, and `JSONEncoder` cannot embed JSON
    /// text without re-encoding it.
    /// Its metadata is encoded as the log's own encoder wrote it (UUIDs in
    /// upper case, as stored), so an export recomputes the stored hashes.
    static func json(_ e: RecordedEvent) throws -> String {
        try splice(Event(e), [("data", String(decoding: e.data, as: UTF8.self))], asStored: true)
    }

    /// `head` encoded, with `raw` members (JSON text, in the given order) added at its end.
    static func splice(_ head: some Encodable, _ raw: [(String, String)], asStored: Bool = false) throws -> String {
        let encoded = asStored ? try JSONResponse.encoder.encode(head) : try JSONResponse.encoder.encode(LowercaseUUIDs(value: head))
        let text = String(decoding: encoded, as: UTF8.self)
        return String(text.dropLast()) + raw.map { #","\#($0.0)":"# + $0.1 }.joined() + "}"
    }

    /// `GET /v1/audit/patients/{id}/events`.
    struct History {
        var patientId: UUID
        var events: [RecordedEvent]

        func json() throws -> String {
            try AuditViews.splice(
                ["patientId": patientId], [("events", "[" + (try events.map(AuditViews.json).joined(separator: ",")) + "]")])
        }
    }

    struct Point: Encodable {
        var readingId: UUID
        var value: MeasurementValue
        var measuredAt: Date
    }

    /// The patient as the pure projection saw them at a past moment.
    struct PastView: Encodable {
        struct AsOf: Encodable {
            var at: Date?
            var position: Int64?
            var version: Int64
        }
        var asOf: AsOf
        var patientId: UUID?
        var program: String?
        var kommunenummer: String?
        var status: String
        var teams: PatientTeams
        var routing: String
        var thresholds: ThresholdSet
        var thresholdVersion: Int
        var devices: [PatientState.DeviceBinding]
        var latest: [String: Point]
        var recent: [String: [Point]]
        var openAlerts: [Alert]
        var alerts: [Alert]
        var dischargedAt: Date?

        init(state: PatientState, now: Date, asOf: AsOf) {
            let view = PatientView(state: state, now: now)
            self.asOf = asOf
            patientId = view.patientID
            program = view.program?.rawValue
            kommunenummer = view.kommunenummer
            status = view.status.rawValue
            teams = view.teams
            routing = view.routing.rawValue
            thresholds = view.thresholds
            thresholdVersion = view.thresholdVersion
            devices = view.devices
            latest = Dictionary(
                uniqueKeysWithValues: view.latest.map {
                    ($0.key.rawValue, Point(readingId: $0.value.readingID, value: $0.value.value, measuredAt: $0.value.measuredAt))
                })
            recent = Dictionary(
                uniqueKeysWithValues: view.recent.map { kind, points in
                    (kind.rawValue, points.map { Point(readingId: $0.readingID, value: $0.value, measuredAt: $0.measuredAt) })
                })
            openAlerts = view.openAlerts
            alerts = state.alerts.values.sortedByRaise()
            dischargedAt = view.dischargedAt
        }
    }
}
