import Foundation
import VardeCore
import VardeStore

/// `GET /v1/patients/{id}/alerts`: every alert of the patient, the latest
/// raised first, each as feeds show it plus its notes and why it was raised.
struct AlertHistoryBody: Encodable {
    struct Item: Encodable {
        var alert: AlertItem
        var notes: [AlertStamp]
        var explanation: Explanation

        func encode(to encoder: any Encoder) throws {
            try alert.encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(notes, forKey: .notes)
            try c.encode(explanation, forKey: .explanation)
        }

        enum Keys: String, CodingKey { case notes, explanation }
    }

    /// The raise: its colour, value and limit, the threshold version that
    /// judged it, the reading, and for a weight gain the baseline.
    struct Explanation: Encodable {
        struct Reading: Encodable {
            var readingId: UUID
            var value: MeasurementValue
            var measuredAt: Date
            var voided: Bool
        }
        struct Baseline: Encodable {
            var kg: Double
            var readingId: UUID
            var measuredAt: Date
        }

        var severity: String
        var value: Double
        var limit: Double
        var thresholdVersion: Int
        var reading: Reading?
        var baseline: Baseline?
        var overdueSince: Date?
    }

    var alerts: [Item]

    init(patient: UUID, entries: [AlertHistory.Entry]) {
        alerts = entries.map { e in
            let raised = e.raised
            let explanation = Explanation(
                severity: (raised?.severity ?? e.alert.severity).rawValue, value: raised?.value ?? e.alert.worstValue,
                limit: raised?.limit ?? e.alert.limit, thresholdVersion: raised?.thresholdVersion ?? e.alert.thresholdVersion,
                reading: e.reading.map { .init(readingId: $0.id, value: $0.value, measuredAt: $0.measuredAt, voided: $0.voided) },
                baseline: e.baseline.map { .init(kg: $0.kg, readingId: $0.readingID, measuredAt: $0.measuredAt) },
                overdueSince: raised?.overdueSince)
            return Item(
                alert: AlertItem(e.alert, patientID: patient, change: nil, everyReading: true), notes: e.alert.notes,
                explanation: explanation)
        }
    }
}

/// `GET /v1/patients/{id}/thresholds`: every version, oldest first.
struct ThresholdHistoryBody: Encodable {
    struct Version: Encodable {
        var version: Int
        var thresholds: ThresholdSet
        /// When it came into force: readings recorded from then on were judged by it.
        var inForceFrom: Date
        var reason: String
        var by: ActorRef

        init(_ t: ThresholdsChanged) {
            (version, thresholds, inForceFrom, reason, by) = (t.version, t.thresholds, t.at, t.reason, t.by)
        }
    }

    var versions: [Version]
}
