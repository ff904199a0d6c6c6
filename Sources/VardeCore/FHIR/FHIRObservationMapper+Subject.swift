import Foundation

extension FHIRObservationMapper {
    /// `Patient/<uuid>`, a fødselsnummer/D-nummer identifier, an entry of the
    /// Bundle (`links`), or — with no subject — the measuring device.
    static func subject(of o: FHIRObservation, links: FHIRBundleLinks = .none) throws(FHIRMappingError) -> SubjectReference {
        guard let subject = o.subject else {
            if let serial = try deviceSerial(of: o, links: links) { return .device(serial: serial) }
            throw .unprocessable("is required (or a device)", at: "Observation.subject", code: "required")
        }
        if let target = links.target(subject) {
            switch target {
            case .patient(let id): return .patient(id)
            case .device(let serial, _): return .device(serial: serial)
            case .unusable(let type) where type == "Patient" || type == "Device": throw .failedEntry(at: "Observation.subject.reference")
            default: throw .unprocessable("must refer to a Patient entry of the Bundle", at: "Observation.subject.reference")
            }
        }
        if subject.reference != nil {
            guard let text = subject.id(ofType: "Patient"), let id = UUID(uuidString: text) else {
                throw .unprocessable("must be Patient/<uuid>", at: "Observation.subject.reference")
            }
            return .patient(id)
        }
        guard let identifier = subject.identifier else {
            throw .unprocessable("needs a reference or an identifier", at: "Observation.subject", code: "required")
        }
        guard identifier.system == NationalIdentifier.fodselsnummerSystem || identifier.system == NationalIdentifier.dNummerSystem else {
            throw .unprocessable(
                "must be the fødselsnummer or D-nummer system", at: "Observation.subject.identifier.system", code: "code-invalid")
        }
        do {
            return .nationalID(try NationalIdentifier(identifier.value ?? "").value)
        } catch {
            throw .unprocessable("is not a valid fødselsnummer or D-nummer", at: "Observation.subject.identifier.value", code: "value")
        }
    }

    /// The serial of `Observation.device`: a `Device/<serial>` reference or the identifier's value.
    /// Other targets (e.g. `DeviceMetric/…`) give `nil`.
    public static func deviceSerial(of o: FHIRObservation) -> String? {
        guard let device = o.device else { return nil }
        return serial(of: device)
    }

    /// The same, with references to Device entries of the Bundle resolved through `links`.
    static func deviceSerial(of o: FHIRObservation, links: FHIRBundleLinks) throws(FHIRMappingError) -> String? {
        guard let target = links.target(o.device) else { return deviceSerial(of: o) }
        if case .unusable("Device") = target { throw .failedEntry(at: "Observation.device.reference") }
        guard case .device(let serial, _) = target else {
            throw .unprocessable("must refer to a Device entry of the Bundle", at: "Observation.device.reference")
        }
        return serial
    }

    /// The gateway named by the `observation-gatewayDevice` extension, if any (not required).
    public static func gatewayDevice(of o: FHIRObservation) -> String? {
        let ext = (o.extensions ?? []).first { $0.url == FHIRCodes.gatewayDeviceExtension }
        return ext?.valueReference.flatMap(serial(of:))
    }

    private static func serial(of reference: FHIRReference) -> String? {
        if let id = reference.id(ofType: "Device") { return id }
        if reference.reference == nil, let value = reference.identifier?.value, !value.isEmpty { return value }
        return nil
    }
}
