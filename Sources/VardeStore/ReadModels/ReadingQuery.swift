import Foundation
import VardeCore

/// Which readings of one patient: a kind, a measured-time window, and for
/// paged reads (FHIR search) an order, a keyset cursor and a page size.
public struct ReadingFilter: Sendable {
    public var patient: UUID
    public var kind: MeasurementKind?
    /// Measured at or after each of these.
    public var from: [Date] = []
    /// Measured before each of these.
    public var before: [Date] = []
    /// Measured outside each [start, end) (FHIR's `ne`).
    public var outside: [(start: Date, end: Date)] = []

    public init(patient: UUID, kind: MeasurementKind? = nil) {
        self.patient = patient
        self.kind = kind
    }
}

/// A page of readings: newest or oldest first by (measured time, event id),
/// strictly after `after` in that order.
public struct ReadingPage: Sendable {
    public var descending: Bool
    public var after: (measuredMicros: Int64, eventID: UUID)?
    public var limit: Int

    public init(descending: Bool = false, after: (measuredMicros: Int64, eventID: UUID)? = nil, limit: Int) {
        self.descending = descending
        self.after = after
        self.limit = limit
    }
}

extension ReadSession {
    /// Every reading the filter names (voided ones too, marked), oldest first.
    /// The filter's readings, oldest first, at most `limit`.
    public func readings(_ filter: ReadingFilter, limit: Int) throws -> [FHIRReadingRecord] {
        var sql = SQLConditions(filter)
        sql.parameters.append(limit)
        return try records(sql.text + " ORDER BY r.measured_at, r.event_id LIMIT $\(sql.parameters.count)", sql.parameters)
    }

    /// One page of the filter's readings, and how many match in all (both from one snapshot).
    public func readingPage(_ filter: ReadingFilter, _ page: ReadingPage) throws -> (records: [FHIRReadingRecord], total: Int) {
        let all = SQLConditions(filter)
        var paged = all
        let direction = page.descending ? "DESC" : ""
        if let after = page.after {
            let n = paged.parameters.count
            paged.add(
                "(r.measured_at, r.event_id) \(page.descending ? "<" : ">") "
                    + "(timestamptz 'epoch' + $\(n + 1)::bigint * interval '1 microsecond', $\(n + 2)::uuid)", after.measuredMicros,
                after.eventID)
        }
        paged.parameters.append(page.limit)
        let tail = " ORDER BY r.measured_at \(direction), r.event_id \(direction) LIMIT $\(paged.parameters.count)"
        return try snapshot { s in
            (
                try s.records(paged.text + tail, paged.parameters),
                Int(try s.connection.query("SELECT count(*) FROM readings r WHERE " + all.text, all.parameters).requireInt(0, 0))
            )
        }
    }

    /// One stored reading by its event id.
    public func reading(_ id: UUID) throws -> FHIRReadingRecord? {
        try records("r.event_position = (\(Self.readingPosition)) AND r.event_id = $1", [id]).first
    }

    /// The position of the event `$1`: `readings` is keyed by it (sql/017).
    static let readingPosition = "SELECT position FROM events WHERE event_id = $1"

    private func records(_ condition: String, _ parameters: [(any PGParameter)?]) throws -> [FHIRReadingRecord] {
        let r = try connection.query(
            """
            SELECT r.event_id, r.patient_id, r.value::text, (extract(epoch FROM r.measured_at) * 1000000)::bigint,
                   (extract(epoch FROM r.received_at) * 1000000)::bigint, r.device_serial, r.gateway_reading_id, r.voided
            FROM readings r WHERE
            """ + " " + condition, parameters)
        return try r.rows { row in
            FHIRReadingRecord(
                eventID: try r.requireUUID(row, 0), patientID: try r.requireUUID(row, 1),
                value: try r.requireJSON(MeasurementValue.self, row, 2),
                measuredAt: try r.requireMicros(row, 3), receivedAt: try r.requireMicros(row, 4),
                deviceSerial: r.string(row, 5), gatewayReadingID: try r.requireString(row, 6), voided: try r.requireBool(row, 7))
        }
    }
}

/// A filter as SQL on `readings r`: fixed fragments with `$n` placeholders;
/// values always travel as parameters.
private struct SQLConditions {
    var conditions: [String] = []
    var parameters: [(any PGParameter)?] = []

    init(_ f: ReadingFilter) {
        add("r.patient_id = $\(1)", f.patient)
        if let kind = f.kind { add("r.kind = $\(parameters.count + 1)", kind.rawValue) }
        for d in f.from { add("r.measured_at >= $\(parameters.count + 1)", d) }
        for d in f.before { add("r.measured_at < $\(parameters.count + 1)", d) }
        for o in f.outside {
            add("(r.measured_at < $\(parameters.count + 1) OR r.measured_at >= $\(parameters.count + 2))", o.start, o.end)
        }
    }

    var text: String { conditions.joined(separator: " AND ") }

    mutating func add(_ condition: String, _ values: any PGParameter...) {
        conditions.append(condition)
        parameters += values.map { $0 }
    }
}
