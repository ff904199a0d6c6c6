import Foundation

/// What happened to one entry of a batch or transaction.
public enum FHIREntryOutcome: Equatable, Sendable {
    /// Stored as a new event.
    case created(eventID: UUID)
    /// A resend of a reading already stored as `eventID`.
    case duplicate(eventID: UUID)
    case failed(FHIRMappingError)
    /// A Patient or Device entry resolved to what Varde holds (`Patient/<id>`, `Device/<id>`): `200 OK`.
    case resolved(location: String)
    /// Taken and not kept (no reading): `200 OK` with the warning that says why.
    case acknowledged(FHIROperationOutcome)
    /// A created or duplicate reading with a warning beside it (e.g. a device clock far off).
    indirect case noted(FHIREntryOutcome, FHIROperationOutcome)
}

/// Builds the Bundles Varde answers with.
public enum FHIRBundleBuilder {
    /// A `batch-response` or `transaction-response` with one entry per outcome, in order:
    /// `201 Created` / `200 OK` with `location` `Observation/<eventId>`, or the error's
    /// status line with an OperationOutcome.
    public static func response(mode: FHIRBundleMode, outcomes: [FHIREntryOutcome], timestamp: Date? = nil) -> FHIRBundle {
        func response(_ outcome: FHIREntryOutcome) -> FHIRBundle.Response {
            switch outcome {
            case .created(let id): return FHIRBundle.Response(status: "201 Created", location: location(id))
            case .duplicate(let id): return FHIRBundle.Response(status: "200 OK", location: location(id))
            case .failed(let error): return FHIRBundle.Response(status: error.statusLine, outcome: FHIROperationOutcome(error))
            case .resolved(let location): return FHIRBundle.Response(status: "200 OK", location: location)
            case .acknowledged(let warning): return FHIRBundle.Response(status: "200 OK", outcome: warning)
            case .noted(let inner, let warning):
                var r = response(inner)
                r.outcome = warning
                return r
            }
        }
        let entries = outcomes.map { FHIRBundle.Entry(response: response($0)) }
        return FHIRBundle(type: mode.responseType, timestamp: timestamp.map(FHIRDateTime.format), entry: entries)
    }

    /// A `searchset` of stored readings. `total` is the number of matches overall
    /// (defaults to `records.count`); `baseURL` is the FHIR base, e.g. `https://host/fhir`.
    public static func searchset(
        _ records: [FHIRReadingRecord], total: Int? = nil, baseURL: String,
        selfURL: String? = nil, nextURL: String? = nil, timestamp: Date? = nil
    ) -> FHIRBundle {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let entries = records.map { record in
            FHIRBundle.Entry(
                fullUrl: "\(base)/\(location(record.eventID))",
                resource: .observation(FHIRObservationRenderer.observation(for: record)),
                search: FHIRBundle.Search(mode: "match"))
        }
        var links: [FHIRBundle.Link] = []
        if let selfURL { links.append(FHIRBundle.Link(relation: "self", url: selfURL)) }
        if let nextURL { links.append(FHIRBundle.Link(relation: "next", url: nextURL)) }
        return FHIRBundle(
            type: "searchset", timestamp: timestamp.map(FHIRDateTime.format), total: total ?? records.count,
            link: links.isEmpty ? nil : links, entry: entries)
    }

    /// `Observation/<lowercased uuid>`.
    public static func location(_ eventID: UUID) -> String {
        "Observation/" + eventID.lowercasedText
    }
}
