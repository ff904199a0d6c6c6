import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// `GET /fhir/Observation?patient=&code=&date=&_count=&_sort=&_cursor=`: a
/// searchset of one patient's stored readings, a page at a time
/// (`FHIRSearchQuery`). `date` follows FHIR R4 date search (`FHIRDateParameter`)
/// and may repeat; `code` is a LOINC code, with or without `http://loinc.org|`.
///
/// Entries are ordered by measured time, then event id: oldest first, or newest
/// first with `_sort=-date`. `total` counts every match when the page is read.
/// The `next` link (present only when more matches follow) carries a cursor
/// naming the page's last entry, and the next page starts strictly after it in
/// that order, so paging never repeats an entry and never skips one that
/// matched when the search began; a reading recorded meanwhile shows up if it
/// sorts after the cursor.
struct FHIRSearch {
    let services: AppServices
    let guardian: Guard

    func run(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let query = try FHIRSearchQuery(request.uri.queryParameters)
        _ = try await guardian.patient(query.patient, for: caller)
        try await guardian.logReads([guardian.entry(caller, .searchFHIRObservations, patient: query.patient, request: request, context: context)])
        let page = query.page()
        // The page and the total from one snapshot, so they agree.
        let (records, total) = try await services.database.withConnection { c in
            try c.transaction(opening: [.init("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")]) { c, _ in
                (try Self.records(c, where: page.condition, page.parameters, tail: page.tail),
                 try c.query("SELECT count(*) FROM readings r WHERE \(query.filter)", query.parameters).int(0, 0) ?? 0)
            }
        }
        let entries = Array(records.prefix(query.count))
        let next = records.count > query.count
            ? entries.last.map { Self.url(request, cursor: FHIRSearchCursor(after: $0, descending: query.descending)) } : nil
        let bundle = FHIRBundleBuilder.searchset(entries, total: Int(total), baseURL: "/fhir", selfURL: Self.url(request),
                                                 nextURL: next, timestamp: services.now)
        return try JSONResponse.make(bundle, contentType: FHIRController.contentType)
    }

    /// This search's URL as the client sent it, with `_cursor` replaced by `cursor` when one is given.
    static func url(_ request: Request, cursor: FHIRSearchCursor? = nil) -> String {
        var items = (request.uri.query ?? "").split(separator: "&").map(String.init)
        if let cursor {
            items.removeAll { $0 == "_cursor" || $0.hasPrefix("_cursor=") }
            items.append("_cursor=" + cursor.text)
        }
        return "/fhir/Observation?" + items.joined(separator: "&")
    }

    /// Readings as FHIR records. `condition` and `tail` are built only from fixed
    /// fragments with `$n` placeholders; values always travel as parameters.
    static func records(
        _ c: PGConnection, where condition: String, _ parameters: [(any PGParameter)?], tail: String = ""
    ) throws -> [FHIRReadingRecord] {
        let r = try c.query("""
            SELECT r.event_id, r.patient_id, r.value::text, (extract(epoch FROM r.measured_at) * 1000000)::bigint,
                   (extract(epoch FROM r.received_at) * 1000000)::bigint, r.device_serial, r.gateway_reading_id, r.voided
            FROM readings r WHERE \(condition) \(tail)
            """, parameters)
        return try (0..<r.rowCount).map { row in
            FHIRReadingRecord(
                eventID: UUID(uuidString: r.string(row, 0)!)!, patientID: UUID(uuidString: r.string(row, 1)!)!,
                value: try JSONDecoder().decode(MeasurementValue.self, from: Data(r.string(row, 2)!.utf8)),
                measuredAt: Timestamp.fromMicros(r.int(row, 3)!), receivedAt: Timestamp.fromMicros(r.int(row, 4)!),
                deviceSerial: r.string(row, 5), gatewayReadingID: r.string(row, 6)!, voided: r.bool(row, 7) ?? false)
        }
    }
}
