/// How a Bundle's entries are to be processed.
public enum FHIRBundleMode: String, Sendable {
    /// Each entry on its own; the response reports each.
    case batch
    /// All or nothing.
    case transaction

    /// The `Bundle.type` of the answer.
    public var responseType: String { self == .batch ? "batch-response" : "transaction-response" }
}

/// One entry of an incoming Bundle after mapping.
public struct FHIRBundleEntryResult: Equatable, Sendable {
    /// Position in `Bundle.entry`, from 0.
    public var index: Int
    public var fullUrl: String?
    /// The gateway from the `observation-gatewayDevice` extension, when given.
    public var gatewayDevice: String?
    /// The submission, or why this entry cannot be one (expression rooted at `Bundle.entry[i]`).
    public var submission: Result<ReadingSubmission, FHIRMappingError>
}

/// Reads a `batch` or `transaction` Bundle whose entries are `POST Observation`.
public enum FHIRBundleReader {
    /// The mode and the per-entry results. Throws (400) only when the Bundle itself is
    /// unusable; a bad entry becomes a failed result at its index.
    public static func read(_ bundle: FHIRBundle) throws(FHIRMappingError) -> (mode: FHIRBundleMode, entries: [FHIRBundleEntryResult]) {
        guard bundle.resourceType == "Bundle" else {
            throw .badRequest("the resource must be a Bundle", at: "Bundle.resourceType")
        }
        guard let mode = FHIRBundleMode(rawValue: bundle.type) else {
            throw .badRequest("must be batch or transaction", at: "Bundle.type", code: "not-supported")
        }
        let entries = (bundle.entry ?? []).enumerated().map { index, entry in
            var gateway: String?
            if case .observation(let o) = entry.resource { gateway = FHIRObservationMapper.gatewayDevice(of: o) }
            return FHIRBundleEntryResult(
                index: index, fullUrl: entry.fullUrl, gatewayDevice: gateway,
                submission: Result { () throws(FHIRMappingError) in try submission(from: entry, at: index) }
                    .mapError { $0.inBundleEntry(index) })
        }
        return (mode, entries)
    }

    private static func submission(from entry: FHIRBundle.Entry, at index: Int) throws(FHIRMappingError) -> ReadingSubmission {
        guard let request = entry.request else {
            throw .badRequest("is required", at: "Bundle.entry[\(index)].request", code: "required")
        }
        guard request.method == "POST" else {
            throw .badRequest("only POST is accepted", at: "Bundle.entry[\(index)].request.method", code: "not-supported")
        }
        let path = request.url.hasPrefix("/") ? String(request.url.dropFirst()) : request.url
        guard path == "Observation" else {
            throw .badRequest("must be Observation", at: "Bundle.entry[\(index)].request.url", code: "not-supported")
        }
        switch entry.resource {
        case .observation(let observation): return try FHIRObservationMapper.submission(from: observation)
        case .malformed(_, let error): throw error
        case .none: throw .badRequest("is required", at: "Bundle.entry[\(index)].resource", code: "required")
        case .operationOutcome, .other:
            throw .badRequest(
                "only Observation resources are accepted", at: "Bundle.entry[\(index)].resource.resourceType", code: "not-supported")
        }
    }
}
