import Foundation
import VardeCore

/// Where the next page of a FHIR search starts: just after the reading with
/// this measured time (microseconds since the epoch) and event id, in the order
/// of the search that made it. Opaque to clients (base64url).
struct FHIRSearchCursor: Equatable {
    var micros: Int64
    var eventID: UUID
    var descending: Bool

    init(micros: Int64, eventID: UUID, descending: Bool) {
        self.micros = micros
        self.eventID = eventID
        self.descending = descending
    }

    /// Just after `record`.
    init(after record: FHIRReadingRecord, descending: Bool) {
        self.init(
            micros: Int64((record.measuredAt.timeIntervalSince1970 * 1_000_000).rounded()), eventID: record.eventID,
            descending: descending)
    }

    init(text: String) throws(FHIRMappingError) {
        let invalid = FHIRMappingError.badRequest(
            "_cursor is not a cursor from this search (take the next link as it is)", at: "", code: "value")
        // Written unpadded; padded text is accepted too.
        guard let data = Data(base64URLEncoded: text, allowPadding: true), let plain = String(data: data, encoding: .utf8) else {
            throw invalid
        }
        let parts = plain.split(separator: ":")
        guard parts.count == 4, parts[0] == "v1", parts[1] == "a" || parts[1] == "d", let micros = Int64(parts[2]),
            let id = UUID(uuidString: String(parts[3]))
        else { throw invalid }
        self.init(micros: micros, eventID: id, descending: parts[1] == "d")
    }

    var text: String {
        Data("v1:\(descending ? "d" : "a"):\(micros):\(eventID.lowercasedText)".utf8).base64URLEncodedString()
    }
}
