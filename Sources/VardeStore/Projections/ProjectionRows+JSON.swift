import Foundation
import VardeCore

/// A row the projector sends to PostgreSQL as one element of a JSON array.
/// Written by hand (`JSONWriter`), not with `JSONEncoder`: a rebuild writes
/// about one row per event. `ProjectionRowJSONTests` holds each writer to
/// the row's `Encodable` form.
protocol JSONRow {
    func write(to w: inout JSONWriter)
}

extension ProjectionRows {
    /// `[row, row, …]` for `jsonb_to_recordset`.
    static func json(_ rows: some Collection<some JSONRow>) -> String {
        var w = JSONWriter(capacity: 64 + rows.count * 400)
        w.array(rows) { w, row in row.write(to: &w) }
        return w.text
    }
}

extension ProjectionRows.Patient: JSONRow {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.member("id", id)
            w.member("national_id", national_id)
            w.member("kommunenummer", kommunenummer)
            w.member("program", program)
            w.member("kommune_team", kommune_team)
            w.member("sykehus_team", sykehus_team)
            w.member("routing", routing)
            w.member("status", status)
            w.member("enrolled_at", enrolled_at)
            w.member("discharged_at", discharged_at)
            w.member("threshold_version", threshold_version)
            w.key("thresholds")
            w.raw(thresholds.json)
            w.key("latest")
            w.object { w in
                for (kind, latest) in self.latest.sorted(by: { $0.key < $1.key }) {
                    w.key(kind)
                    latest.write(to: &w)
                }
            }
            w.key("devices")
            w.array(devices) { w, d in
                w.object { w in
                    w.member("serial", d.serial)
                    w.member("kind", d.kind)
                    w.member("from", d.from)
                    w.member("to", d.to)
                }
            }
            w.member("version", version)
            w.member("position", position)
            w.key("identifiers")
            identifiers.write(to: &w)
        }
    }
}

extension [RegisteredIdentifier] {
    /// As its `Encodable` form: `[{"system":…,"value":…}, …]`.
    func write(to w: inout JSONWriter) {
        w.array(self) { w, i in
            w.object { w in
                w.member("system", i.system)
                w.member("value", i.value)
            }
        }
    }
}

extension ProjectionRows.Latest {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.member("readingId", readingId)
            w.key("value")
            value.write(to: &w)
            w.member("measuredAt", measuredAt)
        }
    }
}

extension ProjectionRows.Binding: JSONRow {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.member("serial", serial)
            w.member("bound_at", bound_at)
            w.member("patient_id", patient_id)
            w.member("kind", kind)
            w.member("unbound_at", unbound_at)
            w.member("position", position)
            w.key("identifiers")
            identifiers.write(to: &w)
        }
    }
}

extension ProjectionRows.AlertRow: JSONRow {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.member("id", id)
            w.member("patient_id", patient_id)
            w.member("rule", rule)
            w.member("severity", severity)
            w.member("state", state)
            w.member("teams", uuids: teams)
            w.key("alert")
            alert.write(to: &w)
            w.member("position", position)
        }
    }
}

extension ProjectionRows.FeedItem {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.member("id", id)
            w.member("patientId", patientId)
            w.member("severity", severity)
            w.member("rule", rule)
            w.member("measurement", measurement)
            w.member("state", state)
            w.member("change", change)
            w.member("worstValue", worstValue)
            w.member("limit", limit)
            w.member("breachCount", breachCount)
            w.member("readings", uuids: readings)
            w.member("thresholdVersion", thresholdVersion)
            w.member("raisedAt", raisedAt)
            w.member("teams", uuids: teams)
            for (name, stamp) in [("acknowledged", acknowledged), ("escalated", escalated), ("resolved", resolved)] {
                guard let stamp else { continue }
                w.key(name)
                w.object { w in
                    w.key("by")
                    w.object { w in
                        w.member("subject", stamp.by.subject)
                        w.member("role", stamp.by.role)
                    }
                    w.key("at")
                    w.date(stamp.at)
                    w.member("note", stamp.note)
                }
            }
            w.member("resolution", resolution)
            w.member("overdueSince", overdueSince)
        }
    }
}

extension ProjectionRows.Team: JSONRow {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.member("id", id)
            w.member("name", name)
            w.member("kind", kind)
            w.member("kommunenummer", kommunenummer)
            w.member("health_trust", health_trust)
            w.member("position", position)
        }
    }
}

extension ProjectionRows.Gateway: JSONRow {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.member("id", id)
            w.member("name", name)
            w.member("teams", uuids: teams)
            w.member("position", position)
        }
    }
}

extension ProjectionRows.GatewayKey: JSONRow {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.member("key_id", key_id)
            w.member("gateway_id", gateway_id)
            w.member("hash", hash)
            w.member("created_at", created_at)
            w.member("revoked_at", revoked_at)
            w.member("position", position)
        }
    }
}

extension MeasurementValue {
    /// As its `Encodable` form: `kind`, then `value` or the blood-pressure fields.
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.member("kind", kind.rawValue)
            switch self {
            case .bloodPressure(let systolic, let diastolic, let pulse):
                w.member("systolic", systolic)
                w.member("diastolic", diastolic)
                w.member("pulse", pulse)
            case .spo2(let v), .weight(let v), .pulse(let v), .temperature(let v):
                w.member("value", v)
            }
        }
    }
}

extension ProjectionRows.Reading {
    static let columns =
        "event_id, patient_id, kind, measured_at, received_at, value, device_serial, gateway_id, gateway_reading_id, voided, position, event_position"

    /// One row of `COPY readings (columns) FROM STDIN (FORMAT binary)`.
    func write(to copy: inout CopyBinary) {
        var json = JSONWriter(capacity: 96)
        value.write(to: &json)
        copy.row(fields: 12)
        copy.field(event_id)
        copy.field(patient_id)
        copy.field(kind)
        copy.field(milliseconds: EventDate.milliseconds(measured_at))
        copy.field(milliseconds: EventDate.milliseconds(received_at))
        copy.field(json: json)
        copy.field(device_serial)
        copy.field(gateway_id)
        copy.field(gateway_reading_id)
        copy.field(voided)
        copy.field(position)
        copy.field(event_position)
    }
}

extension ProjectionRows.Feed {
    static let columns = "team_id, position, seq, alert_id, patient_id, change, item"

    /// One row of `COPY alert_feed (columns) FROM STDIN (FORMAT binary)`.
    func write(to copy: inout CopyBinary) {
        var json = JSONWriter(capacity: 700)
        item.write(to: &json)
        copy.row(fields: 7)
        copy.field(team_id)
        copy.field(position)
        copy.field(Int32(seq))
        copy.field(alert_id)
        copy.field(patient_id)
        copy.field(change)
        copy.field(json: json)
    }
}
