import Foundation
import VardeCore

/// `GET /v1/patients/{id}/readings`: the patient's readings, voided ones marked.
struct ReadingListBody: Encodable {
    struct Reading: Encodable {
        var eventId: UUID
        var kind: String
        var value: MeasurementValue
        var measuredAt: Date
        var receivedAt: Date
        var deviceSerial: String?
        var voided: Bool

        init(_ r: FHIRReadingRecord) {
            (eventId, kind, value, measuredAt, receivedAt) = (r.eventID, r.value.kind.rawValue, r.value, r.measuredAt, r.receivedAt)
            (deviceSerial, voided) = (r.deviceSerial, r.voided)
        }
    }

    var readings: [Reading]
    /// More readings match than `limit` (at most 10,000): these are the oldest; ask again from the last one's time.
    var truncated: Bool
}

/// The answer to voiding a reading.
struct VoidedBody: Encodable {
    var readingId: UUID
    var status = "voided"
}
