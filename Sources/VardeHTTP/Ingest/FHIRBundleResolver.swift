import Foundation
import VardeCore
import VardeStore

/// Resolves the Patient and Device entries of a PHD gateway's Bundle (their
/// conditional creates) to what Varde holds, and never creates either:
///
/// - a Patient entry names an enrolled patient under follow-up by a
///   fødselsnummer/D-nummer or by an identifier a clinician registered; it
///   must name exactly one that the gateway reaches (a patient of the teams
///   it serves). One it does not reach is answered exactly as one that does
///   not exist, so no answer tells whether someone is enrolled;
/// - a Device entry (the gateway itself or a measuring device) names a
///   device bound to such a patient, now or earlier, by an identifier given
///   at binding (EUI-64, Bluetooth address) or by its serial number.
struct FHIRBundleResolver {
    let services: AppServices

    struct Resolved {
        var resolution = FHIRBundlePlan.Resolution()
        /// `resolved(location:)` or `failed` for each Patient and Device entry.
        var outcomes: [Int: FHIREntryOutcome] = [:]
        /// What the gateway reported about each resolved device, for its binding.
        var descriptions: [(patient: UUID, serial: String, description: DeviceDescription)] = []
    }

    /// `access` logs the attempt on each patient a claim named whom the gateway
    /// does not reach (`refused`), as a refused reading is logged.
    func resolve(_ plan: FHIRBundlePlan, caller: Caller, access: Guard.Access) async throws -> Resolved {
        var patientClaims: [(Int, FHIRPatientClaim)] = [], deviceClaims: [(Int, FHIRDeviceClaim)] = []
        for (i, entry) in plan.entries.enumerated() {
            if case .patient(let claim) = entry { patientClaims.append((i, claim)) }
            if case .device(let claim) = entry { deviceClaims.append((i, claim)) }
        }
        guard !patientClaims.isEmpty || !deviceClaims.isEmpty else { return Resolved() }
        let nationalIDs = Array(Set(patientClaims.flatMap(\.1.nationalIDs)))
        let identifiers = Array(Set(patientClaims.flatMap(\.1.identifiers)))
        let serials = Array(Set(deviceClaims.compactMap(\.1.serialNumber)))
        let deviceIdentifiers = Array(Set(deviceClaims.flatMap(\.1.identifiers)))
        let (patients, bindings) = try await services.database.read { s in
            (
                try s.patients(nationalIDs: nationalIDs, identifiers: identifiers),
                try s.bindings(serials: serials, identifiers: deviceIdentifiers)
            )
        }
        let served = Set(caller.teams)
        func reaches(_ teams: PatientTeams) -> Bool { [teams.kommune, teams.sykehus].contains { $0.map(served.contains) ?? false } }

        var resolved = Resolved()
        var refused = Set<UUID>()
        for (i, claim) in patientClaims {
            for p in patients
            where !reaches(p.teams)
                && (claim.nationalIDs.contains(p.nationalID) || claim.identifiers.contains(where: p.identifiers.contains))
            {
                refused.insert(p.id)
            }
            let named = Set(
                patients.filter { p in
                    reaches(p.teams)
                        && (claim.nationalIDs.contains(p.nationalID) || claim.identifiers.contains(where: p.identifiers.contains))
                }.map(\.id))
            if named.count == 1, let id = named.first {
                resolved.resolution.patients[i] = id
                resolved.outcomes[i] = .resolved(location: "Patient/" + id.lowercasedText)
            } else {
                resolved.outcomes[i] = .failed(
                    named.isEmpty
                        ? FHIRMappingError(
                            status: 404, issueCode: "not-found",
                            message: "no patient under follow-up that this gateway serves has these identifiers; "
                                + "a clinician registers them (PUT /v1/patients/{id}/identifiers)",
                            expression: "Bundle.entry[\(i)].resource.identifier")
                        : FHIRMappingError(
                            status: 409, issueCode: "conflict", message: "the identifiers name different patients",
                            expression: "Bundle.entry[\(i)].resource.identifier"))
            }
        }
        for (i, claim) in deviceClaims {
            let matching = bindings.filter { b in
                reaches(b.teams)
                    && (b.binding.serial == claim.serialNumber || claim.identifiers.contains(where: b.identifiers.contains))
            }
            let serials = Set(matching.map(\.binding.serial))
            // The binding in force now, else the latest one (old readings uploaded late).
            let chosen = matching.max { a, b in
                (a.binding.to == nil ? 1 : 0, a.binding.from) < (b.binding.to == nil ? 1 : 0, b.binding.from)
            }
            guard serials.count == 1, let chosen else {
                resolved.outcomes[i] = .failed(
                    serials.isEmpty
                        ? FHIRMappingError(
                            status: 404, issueCode: "not-found",
                            message: "no device bound to a patient this gateway serves has these identifiers; "
                                + "a clinician binds it (POST /v1/patients/{id}/devices with identifiers)",
                            expression: "Bundle.entry[\(i)].resource.identifier")
                        : FHIRMappingError(
                            status: 409, issueCode: "conflict", message: "the identifiers name different devices",
                            expression: "Bundle.entry[\(i)].resource.identifier"))
                continue
            }
            let serial = chosen.binding.serial
            resolved.resolution.devices[i] = (serial, claim.description.hasNoTimeSync)
            resolved.outcomes[i] = .resolved(location: FHIRDeviceRead.location(serial: serial))
            if claim.description != DeviceDescription() {
                resolved.descriptions.append((chosen.binding.patient, serial, claim.description))
            }
        }
        if !refused.isEmpty {
            let entries = refused.sorted { $0.uuidString < $1.uuidString }.map { access.entry($0, outcome: .refused) }
            try await services.database.read { try $0.logAccess(entries) }
        }
        return resolved
    }
}
