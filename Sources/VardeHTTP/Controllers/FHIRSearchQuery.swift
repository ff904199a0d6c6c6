import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// What a `GET /fhir/Observation` asks for, read from its query parameters:
/// the filter (`patient` or `subject`, `code`, `date`) and the page
/// (`_count`, `_sort`, `_cursor`).
struct FHIRSearchQuery {
    static let defaultCount = 100
    static let maxCount = 1000

    /// The search parameters read below, as the CapabilityStatement lists them.
    static let parameters: [(name: String, type: String, documentation: String)] = [
        ("patient", "reference", "Patient/<id>; required unless subject is given"),
        ("subject", "reference", "the same as patient"),
        ("code", "token", "a LOINC code, with or without http://loinc.org|"),
        ("date", "date", "the measured time; prefixes eq, ne, lt, gt, le, ge, sa, eb; may repeat"),
        ("_count", "number", "entries per page, 1 to 1,000 (default 100)"),
        ("_sort", "string", "date (oldest first, the default) or -date"),
    ]

    var patient: UUID
    var filter: ReadingFilter
    /// Entries per page.
    var count = defaultCount
    /// Newest first (`_sort=-date`); oldest first otherwise.
    var descending = false
    var cursor: FHIRSearchCursor?

    init(_ query: Parameters) throws(FHIRMappingError) {
        guard let reference = query.get("patient") ?? query.get("subject") else {
            throw .badRequest("the patient parameter is required", at: "Observation.subject", code: "required")
        }
        guard let patient = UUID(uuidString: reference.replacingOccurrences(of: "Patient/", with: "")) else {
            throw .badRequest("patient must be Patient/<id>", at: "Observation.subject", code: "value")
        }
        self.patient = patient
        filter = ReadingFilter(patient: patient)
        if let code = query.get("code") {
            guard let kind = FHIRCodes.kind(forLOINC: String(code.split(separator: "|").last ?? "")) else {
                throw .badRequest("unknown LOINC code", at: "Observation.code", code: "value")
            }
            filter.kind = kind
        }
        for value in query.getAll("date") {
            try addDate(value)
        }
        try readPage(query)
    }

    /// One more than a page, to tell whether there is a next one.
    var page: ReadingPage {
        ReadingPage(descending: descending, after: cursor.map { ($0.micros, $0.eventID) }, limit: count + 1)
    }

    private mutating func addDate(_ value: String) throws(FHIRMappingError) {
        let date: FHIRDateParameter
        do {
            date = try FHIRDateParameter(value)
        } catch .unknownPrefix {
            throw .badRequest(
                "the date parameter takes the prefixes eq, ne, lt, gt, le, ge, sa and eb", at: "Observation.effective", code: "value")
        } catch {
            throw .badRequest(
                "the date parameter must be YYYY, YYYY-MM, YYYY-MM-DD or a dateTime with seconds and a zone offset, "
                    + "after an optional prefix", at: "Observation.effective", code: "value")
        }
        switch date.condition {
        case .within(let from, let before):
            if let from { filter.from.append(from) }
            if let before { filter.before.append(before) }
        case .outside(let start, let end):
            filter.outside.append((start, end))
        }
    }

    private mutating func readPage(_ query: Parameters) throws(FHIRMappingError) {
        if let text = query.get("_count") {
            guard let n = Int(text), (1...Self.maxCount).contains(n) else {
                throw .badRequest("_count must be a whole number from 1 to \(Self.maxCount)", at: "", code: "value")
            }
            count = n
        }
        switch query.get("_sort") {
        case nil, "date": descending = false
        case "-date": descending = true
        default: throw .badRequest("_sort takes date (oldest first) or -date (newest first)", at: "", code: "not-supported")
        }
        if let text = query.get("_cursor") {
            let cursor = try FHIRSearchCursor(text: text)
            guard cursor.descending == descending else {
                throw .badRequest("_cursor belongs to a search in the other order", at: "", code: "value")
            }
            self.cursor = cursor
        }
    }
}
