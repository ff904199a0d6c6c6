import Foundation

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

/// Reads a `batch` or `transaction` Bundle: `POST Observation` entries, and
/// the `POST Patient` and `POST Device` conditional creates of PHD gateways,
/// whose resources the Observations name by `urn:uuid` (or by a relative
/// reference resolved against absolute `fullUrl`s).
public enum FHIRBundleReader {
    /// The mode and what each entry is. Throws (400) only when the Bundle itself
    /// is unusable; a bad entry becomes `.invalid` at its index.
    public static func plan(_ bundle: FHIRBundle) throws(FHIRMappingError) -> FHIRBundlePlan {
        guard bundle.resourceType == "Bundle" else {
            throw .badRequest("the resource must be a Bundle", at: "Bundle.resourceType")
        }
        guard let mode = FHIRBundleMode(rawValue: bundle.type) else {
            throw .badRequest("must be batch or transaction", at: "Bundle.type", code: "not-supported")
        }
        let entries = bundle.entry ?? []
        let planned = entries.enumerated().map { index, entry -> FHIRBundlePlan.Entry in
            switch Result(catching: { () throws(FHIRMappingError) in try plannedEntry(entry, at: index) }) {
            case .success(let planned): planned
            case .failure(let error): .invalid(error.inBundleEntry(index))
            }
        }
        return FHIRBundlePlan(mode: mode, fullUrls: entries.map(\.fullUrl), entries: planned)
    }

    /// Entries with `request.method` POST and `request.url` naming the resource's type.
    private static func plannedEntry(_ entry: FHIRBundle.Entry, at index: Int) throws(FHIRMappingError) -> FHIRBundlePlan.Entry {
        let at = "Bundle.entry[\(index)]"
        guard let request = entry.request else { throw .badRequest("is required", at: "\(at).request", code: "required") }
        guard request.method == "POST" else {
            throw .badRequest("only POST is accepted", at: "\(at).request.method", code: "not-supported")
        }
        let path = request.url.hasPrefix("/") ? String(request.url.dropFirst()) : request.url
        guard ["Observation", "Patient", "Device"].contains(path) else {
            throw .badRequest("must be Observation, Patient or Device", at: "\(at).request.url", code: "not-supported")
        }
        guard let resource = entry.resource else { throw .badRequest("is required", at: "\(at).resource", code: "required") }
        if case .malformed(_, let error) = resource { throw error }
        guard resource.resourceType == path else {
            let accepted = path == "Observation" ? "only Observation resources are accepted" : "must be a \(path) (as request.url says)"
            throw .badRequest(accepted, at: "\(at).resource.resourceType", code: "not-supported")
        }
        let searched = try searchedIdentifiers(request.ifNoneExist, at: "\(at).request.ifNoneExist")
        switch resource {
        case .observation(let o): return .observation(o)
        case .patient(let p): return .patient(try patientClaim(p, searched: searched, at: at))
        case .device(let d): return .device(try deviceClaim(d, searched: searched, at: at))
        default: throw .badRequest("is not accepted", at: "\(at).resource.resourceType", code: "not-supported")
        }
    }

    /// The `identifier=system|value` parameters of an `ifNoneExist` query (percent-decoded).
    static func searchedIdentifiers(_ query: String?, at expression: String) throws(FHIRMappingError) -> [RegisteredIdentifier] {
        guard let query, !query.isEmpty else { return [] }
        var found: [RegisteredIdentifier] = []
        for parameter in query.split(separator: "&") {
            let parts = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == "identifier" else {
                throw .badRequest("may only search by identifier=system|value", at: expression, code: "not-supported")
            }
            let text = (parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? parts[1])
            guard let identifier = RegisteredIdentifier(token: text) else {
                throw .badRequest("identifier must be system|value", at: expression, code: "value")
            }
            found.append(identifier)
        }
        return found
    }

    private static func patientClaim(
        _ p: FHIRPatient, searched: [RegisteredIdentifier], at: String
    ) throws(FHIRMappingError) -> FHIRPatientClaim {
        var claim = FHIRPatientClaim()
        let given = (p.identifier ?? []).enumerated().compactMap { i, id -> (RegisteredIdentifier, String)? in
            guard let system = id.system, let value = id.value, !system.isEmpty, !value.isEmpty else { return nil }
            return (RegisteredIdentifier(system: system, value: value), "\(at).resource.identifier[\(i)].value")
        }
        for (identifier, expression) in searched.map({ ($0, "\(at).request.ifNoneExist") }) + given {
            if identifier.system == NationalIdentifier.fodselsnummerSystem || identifier.system == NationalIdentifier.dNummerSystem {
                // Never echoed: the message names the element, not the number.
                guard let nid = try? NationalIdentifier(identifier.value) else {
                    throw .unprocessable("is not a valid fødselsnummer or D-nummer", at: expression, code: "value")
                }
                if !claim.nationalIDs.contains(nid.value) { claim.nationalIDs.append(nid.value) }
            } else if !claim.identifiers.contains(identifier) {
                claim.identifiers.append(identifier)
            }
        }
        guard !claim.nationalIDs.isEmpty || !claim.identifiers.isEmpty else {
            throw .unprocessable(
                "needs an identifier (system and value) to find the patient by", at: "\(at).resource.identifier", code: "required")
        }
        return claim
    }

    private static func deviceClaim(
        _ d: FHIRDevice, searched: [RegisteredIdentifier], at: String
    ) throws(FHIRMappingError) -> FHIRDeviceClaim {
        var identifiers: [RegisteredIdentifier] = []
        for identifier in searched {
            guard let normal = DeviceIdentity.normalized(identifier) else {
                throw .unprocessable(
                    "names an EUI-64 or Bluetooth address that does not read", at: "\(at).request.ifNoneExist", code: "value")
            }
            if !identifiers.contains(normal) { identifiers.append(normal) }
        }
        for (i, id) in (d.identifier ?? []).enumerated() {
            guard let system = id.system, let value = id.value, !system.isEmpty, !value.isEmpty else { continue }
            guard let normal = DeviceIdentity.normalized(RegisteredIdentifier(system: system, value: value)) else {
                throw .unprocessable(
                    "is not a valid EUI-64 or Bluetooth address", at: "\(at).resource.identifier[\(i)].value", code: "value")
            }
            if !identifiers.contains(normal) { identifiers.append(normal) }
        }
        let serial = d.serialNumber.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        guard !identifiers.isEmpty || serial != nil else {
            throw .unprocessable(
                "needs an identifier or a serialNumber to find the bound device by", at: "\(at).resource.identifier", code: "required")
        }
        return FHIRDeviceClaim(identifiers: identifiers, serialNumber: serial, description: d.description)
    }

    /// What the Observation at `index` becomes, its references to the Bundle's
    /// entries resolved through `resolution`. Errors are rooted at `Bundle.entry[index]`.
    public static func observation(
        at index: Int, of plan: FHIRBundlePlan, resolution: FHIRBundlePlan.Resolution
    ) -> Result<FHIRObservationMapping, FHIRMappingError> {
        guard case .observation(let o) = plan.entries[index] else {
            return .failure(.badRequest("is not an Observation", at: "Bundle.entry[\(index)].resource", code: "structure"))
        }
        return Result { () throws(FHIRMappingError) in
            try FHIRObservationMapper.map(o, links: try links(of: o, at: index, in: plan, resolution: resolution))
        }.mapError { $0.inBundleEntry(index) }
    }

    /// The Bundle entries `o`'s references name. A `urn:uuid` that names no entry is a 400.
    static func links(
        of o: FHIRObservation, at index: Int, in plan: FHIRBundlePlan, resolution: FHIRBundlePlan.Resolution
    ) throws(FHIRMappingError) -> FHIRBundleLinks {
        var references: [(String?, String)] = [
            (o.subject?.reference, "Observation.subject.reference"), (o.device?.reference, "Observation.device.reference"),
        ]
        for (i, ext) in (o.extensions ?? []).enumerated() {
            references.append((ext.valueReference?.reference, "Observation.extension[\(i)].valueReference.reference"))
        }
        for (i, r) in (o.derivedFrom ?? []).enumerated() { references.append((r.reference, "Observation.derivedFrom[\(i)].reference")) }
        for (i, r) in (o.hasMember ?? []).enumerated() { references.append((r.reference, "Observation.hasMember[\(i)].reference")) }
        var links = FHIRBundleLinks()
        for case (let reference?, let expression) in references {
            guard let target = entryIndex(of: reference, from: index, in: plan) else {
                if reference.hasPrefix("urn:uuid:") {
                    throw .badRequest("refers to no entry of this Bundle", at: expression, code: "not-found")
                }
                continue
            }
            links.targets[reference] = self.target(target, in: plan, resolution: resolution)
        }
        return links
    }

    /// The entry a reference names: by `fullUrl` (a `urn:uuid` or an absolute URL), or
    /// a relative `Type/id` against the base of the referring entry's absolute `fullUrl`.
    static func entryIndex(of reference: String, from index: Int, in plan: FHIRBundlePlan) -> Int? {
        if let found = plan.fullUrls.firstIndex(where: { $0 == reference }) { return found }
        guard !reference.contains(":"), let own = plan.fullUrls[index], own.hasPrefix("http"),
            let base = base(of: own)
        else { return nil }
        return plan.fullUrls.firstIndex { $0 == base + "/" + reference }
    }

    /// `https://host/fhir` of `https://host/fhir/Observation/1`.
    private static func base(of url: String) -> String? {
        let parts = url.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 3 else { return nil }
        return parts.dropLast(2).joined(separator: "/")
    }

    private static func target(_ j: Int, in plan: FHIRBundlePlan, resolution: FHIRBundlePlan.Resolution) -> FHIRBundleLinks.Target {
        switch plan.entries[j] {
        case .patient: return resolution.patients[j].map { .patient($0) } ?? .unusable(resourceType: "Patient")
        case .device:
            return resolution.devices[j].map { .device(serial: $0.serial, noTimeSync: $0.noTimeSync) } ?? .unusable(resourceType: "Device")
        case .observation(let o):
            return FHIRObservationMapper.isCoincidentTime(o)
                ? .coincidentTime(offset: FHIRObservationMapper.clockOffset(of: o)) : .observation
        case .invalid: return .unusable(resourceType: "")
        }
    }

    /// Each entry as a reading submission, with no Patient or Device entry
    /// resolved (what a Bundle of plain Observations needs); an entry that is
    /// no reading is refused.
    public static func read(_ bundle: FHIRBundle) throws(FHIRMappingError) -> (mode: FHIRBundleMode, entries: [FHIRBundleEntryResult]) {
        let plan = try plan(bundle)
        let results = plan.entries.enumerated().map { index, entry -> FHIRBundleEntryResult in
            var gateway: String?
            let submission: Result<ReadingSubmission, FHIRMappingError>
            switch entry {
            case .invalid(let error): submission = .failure(error)
            case .patient, .device:
                submission = .failure(
                    .badRequest("is resolved by the server", at: "Bundle.entry[\(index)].resource", code: "not-supported"))
            case .observation(let o):
                gateway = FHIRObservationMapper.gatewayDevice(of: o)
                submission = observation(at: index, of: plan, resolution: .init()).flatMap { mapping in
                    switch mapping {
                    case .reading(let s): .success(s)
                    case .notAReading(let why): .failure(why.error.inBundleEntry(index))
                    }
                }
            }
            return FHIRBundleEntryResult(index: index, fullUrl: plan.fullUrls[index], gatewayDevice: gateway, submission: submission)
        }
        return (plan.mode, results)
    }
}
