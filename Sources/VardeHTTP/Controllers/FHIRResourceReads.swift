import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// `GET /fhir/Patient/{id}` and `GET /fhir/Device/{id}`: minimal reads of what
/// a Bundle response points at (`Patient/<id>`, `Device/<serial>`), for staff
/// of the patient's teams and for gateways serving one of them. Like every
/// read of patient data they are checked by `Guard` and written to the access
/// log first; one the caller may not see is a 404, as one that does not exist.
struct FHIRResourceReads {
    let services: AppServices
    let guardian: Guard

    func patient(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let notFound = FHIRMappingError(status: 404, issueCode: "not-found", message: "no such Patient", expression: "")
        guard let id = UUID(uuidString: context.parameters.get("patientId") ?? "") else { throw notFound }
        let state = try await readPatient(id, .readFHIRPatient, request, context, caller)
        guard let state, state.isEnrolled else { throw notFound }
        return try JSONResponse.make(
            FHIRPatientRenderer.patient(state, showNationalID: caller.role != .gateway), contentType: FHIRController.contentType)
    }

    func device(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let notFound = FHIRMappingError(status: 404, issueCode: "not-found", message: "no such Device", expression: "")
        let serial = context.parameters.get("deviceId").flatMap { $0.removingPercentEncoding } ?? ""
        guard !serial.isEmpty, let binding = try await services.database.read({ try $0.latestBinding(serial: serial) }) else {
            throw notFound
        }
        let state = try await readPatient(binding.patient, .readFHIRDevice, request, context, caller)
        guard let state, let device = state.devices.last(where: { $0.serial == serial }) else { throw notFound }
        return try JSONResponse.make(
            FHIRDeviceRead.device(device, patient: binding.patient), contentType: FHIRController.contentType)
    }

    /// The patient's state, when the caller may see them (the read logged), else nil (a refusal logged).
    private func readPatient(
        _ id: UUID, _ operation: Operation, _ request: Request, _ context: AppContext, _ caller: Caller
    ) async throws -> PatientState? {
        let (access, patients) = (guardian.access(caller, operation, request, context), services.patients)
        return try await services.database.read { s -> PatientState? in
            guard let scope = try s.patientScope(id) else { return nil }
            guard Guard.maySee(caller, scope.teams) else {
                try s.logAccess([access.entry(id, outcome: .denied)])
                return nil
            }
            try s.logAccess([access.entry(id)])
            return try s.patientState(id, from: patients)
        }
    }
}

/// Varde's Device resource: a bound device with the names it goes by, what a
/// gateway reported about it, and its patient.
enum FHIRDeviceRead {
    /// `Device/<serial>`: the serial a device is bound under is its logical id.
    static func location(serial: String) -> String {
        "Device/" + (serial.addingPercentEncoding(withAllowedCharacters: .fhirID) ?? serial)
    }

    static func device(_ d: PatientState.DeviceBinding, patient: UUID) -> FHIRDevice {
        var names: [RegisteredIdentifier] = d.identifiers ?? []
        for identifier in d.description?.identifiers ?? [] where !names.contains(identifier) { names.append(identifier) }
        let description = d.description
        // A serial that is no valid FHIR id (spaces, slashes, over 64 characters) leaves the id out.
        let validID = (1...64).contains(d.serial.utf8.count) && d.serial.unicodeScalars.allSatisfy(CharacterSet.fhirID.contains)
        return FHIRDevice(
            id: validID ? d.serial : nil, meta: FHIRMeta(profile: ["http://hl7.org/fhir/uv/phd/StructureDefinition/PhdDevice"]),
            identifier: names.map { FHIRIdentifier(system: $0.system, value: $0.value) }, status: d.to == nil ? "active" : "inactive",
            manufacturer: description?.manufacturer, serialNumber: description?.serialNumber ?? d.serial,
            modelNumber: description?.model,
            version: description?.firmware.map {
                [FHIRDevice.Version(type: mdc(PHDCodes.firmwareVersion, "MDC_ID_PROD_SPEC_FW"), value: $0)]
            },
            property: description?.timeSync.map {
                [
                    FHIRDevice.Property(
                        type: mdc(PHDCodes.timeSyncProperty, "MDC_TIME_SYNC_PROTOCOL"), valueCode: [mdc($0, nil)])
                ]
            },
            patient: FHIRReference(reference: "Patient/" + patient.lowercasedText))
    }

    private static func mdc(_ code: String, _ display: String?) -> FHIRCodeableConcept {
        FHIRCodeableConcept(coding: [FHIRCoding(system: PHDCodes.mdc, code: code, display: display)])
    }
}

/// Varde's Patient resource: the ids the patient goes by, and whether they are
/// under follow-up. Varde keeps no names. The fødselsnummer is shown to staff
/// only, never to a gateway.
enum FHIRPatientRenderer {
    static func patient(_ s: PatientState, showNationalID: Bool) -> FHIRPatient {
        var identifiers: [FHIRIdentifier] = []
        if showNationalID, let nid = s.nationalID, let parsed = try? NationalIdentifier(nid) {
            let system = parsed.kind == .dNummer ? NationalIdentifier.dNummerSystem : NationalIdentifier.fodselsnummerSystem
            identifiers.append(FHIRIdentifier(system: system, value: nid))
        }
        identifiers += s.identifiers.map { FHIRIdentifier(system: $0.system, value: $0.value) }
        return FHIRPatient(
            id: s.patientID?.lowercasedText, meta: FHIRMeta(profile: ["http://hl7.org/fhir/uv/phd/StructureDefinition/PhdPatient"]),
            identifier: identifiers.isEmpty ? nil : identifiers, active: !s.isDischarged)
    }
}

extension CharacterSet {
    /// What a FHIR id may hold: `[A-Za-z0-9\-\.]`.
    static let fhirID = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.")
}
