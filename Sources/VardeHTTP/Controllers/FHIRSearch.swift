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
        let (guardian, access) = (guardian, guardian.access(caller, .searchFHIRObservations, request, context))
        // The page and the total from one snapshot, so they agree.
        let (records, total) = try await services.database.read { s in
            _ = try guardian.patient(s.patientScope(query.patient), for: caller, in: s, logging: access)
            try s.logAccess([access.entry(query.patient)])
            return try s.readingPage(query.filter, query.page)
        }
        let entries = Array(records.prefix(query.count))
        let next =
            records.count > query.count
            ? entries.last.map { Self.url(request, cursor: FHIRSearchCursor(after: $0, descending: query.descending)) } : nil
        let bundle = FHIRBundleBuilder.searchset(
            entries, total: total, baseURL: Self.base(request), selfURL: Self.url(request), nextURL: next, timestamp: services.now)
        return try JSONResponse.make(bundle, contentType: FHIRController.contentType)
    }

    /// The FHIR base as the client reached it: absolute when the request names
    /// its host (FHIR clients follow only absolute `next` links; behind a proxy
    /// that terminates TLS, `X-Forwarded-Proto: https` makes it https), else `/fhir`.
    static func base(_ request: Request) -> String {
        guard let host = request.head.authority, !host.isEmpty,
            host.allSatisfy({ $0.isLetter || $0.isNumber || ".-:[]".contains($0) })
        else { return "/fhir" }
        let https = request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https"
        return (https ? "https://" : "http://") + host + "/fhir"
    }

    /// This search's URL as the client sent it, with `_cursor` replaced by `cursor` when one is given.
    static func url(_ request: Request, cursor: FHIRSearchCursor? = nil) -> String {
        var items = (request.uri.query ?? "").split(separator: "&").map(String.init)
        if let cursor {
            items.removeAll { $0 == "_cursor" || $0.hasPrefix("_cursor=") }
            items.append("_cursor=" + cursor.text)
        }
        return base(request) + "/Observation?" + items.joined(separator: "&")
    }
}
