/// A FHIR R4 `Device` as the PHD IG's `PhdDevice` and `PhgDevice` profiles
/// shape it, reduced to what Varde reads (identifiers, maker, model, serial,
/// firmware, time synchronisation) and writes back in its minimal read.
public struct FHIRDevice: Codable, Equatable, Sendable {
    public struct Version: Codable, Equatable, Sendable {
        public var type: FHIRCodeableConcept?
        public var value: String?

        public init(type: FHIRCodeableConcept? = nil, value: String? = nil) {
            self.type = type
            self.value = value
        }
    }

    public struct Property: Codable, Equatable, Sendable {
        public var type: FHIRCodeableConcept?
        public var valueCode: [FHIRCodeableConcept]?

        public init(type: FHIRCodeableConcept? = nil, valueCode: [FHIRCodeableConcept]? = nil) {
            self.type = type
            self.valueCode = valueCode
        }
    }

    public var resourceType: String
    public var id: String?
    public var meta: FHIRMeta?
    public var identifier: [FHIRIdentifier]?
    /// `active` while bound, `inactive` after.
    public var status: String?
    public var manufacturer: String?
    public var serialNumber: String?
    public var modelNumber: String?
    public var version: [Version]?
    public var property: [Property]?
    public var patient: FHIRReference?

    public init(
        id: String? = nil, meta: FHIRMeta? = nil, identifier: [FHIRIdentifier]? = nil, status: String? = nil,
        manufacturer: String? = nil, serialNumber: String? = nil, modelNumber: String? = nil, version: [Version]? = nil,
        property: [Property]? = nil, patient: FHIRReference? = nil
    ) {
        self.resourceType = "Device"
        self.id = id
        self.meta = meta
        self.identifier = identifier
        self.status = status
        self.manufacturer = manufacturer
        self.serialNumber = serialNumber
        self.modelNumber = modelNumber
        self.version = version
        self.property = property
        self.patient = patient
    }

    /// What the gateway says about the device, identifiers normalised.
    public var description: DeviceDescription {
        let firmware = (version ?? []).first { $0.type?.contains(system: PHDCodes.mdc, code: PHDCodes.firmwareVersion) == true }?.value
        let sync = (property ?? []).first { $0.type?.contains(system: PHDCodes.mdc, code: PHDCodes.timeSyncProperty) == true }
        let identifiers = registeredIdentifiers
        return DeviceDescription(
            manufacturer: manufacturer, model: modelNumber, serialNumber: serialNumber, firmware: firmware,
            timeSync: sync?.valueCode?.first?.codes(in: PHDCodes.mdc).first, identifiers: identifiers.isEmpty ? nil : identifiers)
    }

    /// `identifier`s with a system and a value, normalised (`DeviceIdentity`); ones that do not read are left out.
    public var registeredIdentifiers: [RegisteredIdentifier] {
        (identifier ?? []).compactMap { i in
            guard let system = i.system, let value = i.value, !system.isEmpty, !value.isEmpty else { return nil }
            return DeviceIdentity.normalized(RegisteredIdentifier(system: system, value: value))
        }
    }
}
