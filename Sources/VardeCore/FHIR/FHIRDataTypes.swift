/// The FHIR R4 general-purpose data types Varde reads and writes, reduced to the
/// elements the vital-signs mapping needs. Unknown JSON members are ignored on decode.

/// A code from a code system (`Coding`).
public struct FHIRCoding: Codable, Equatable, Sendable {
    public var system: String?
    public var code: String?
    public var display: String?

    public init(system: String? = nil, code: String? = nil, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }
}

/// Several codings for one concept plus free text (`CodeableConcept`).
public struct FHIRCodeableConcept: Codable, Equatable, Sendable {
    public var coding: [FHIRCoding]?
    public var text: String?

    public init(coding: [FHIRCoding]? = nil, text: String? = nil) {
        self.coding = coding
        self.text = text
    }

    /// Whether any coding has `code` in `system` (a coding without a system matches too
    /// when `allowingMissingSystem` is set).
    public func contains(system: String, code: String, allowingMissingSystem: Bool = false) -> Bool {
        (coding ?? []).contains { c in
            c.code == code && (c.system == system || (allowingMissingSystem && c.system == nil))
        }
    }

    /// The codes of all codings in `system`, in order.
    public func codes(in system: String) -> [String] {
        (coding ?? []).compactMap { $0.system == system ? $0.code : nil }
    }
}

/// A measured amount (`Quantity`); `code` holds the UCUM unit.
public struct FHIRQuantity: Codable, Equatable, Sendable {
    public var value: Double?
    public var comparator: String?
    /// Human-readable unit, e.g. `mmHg`.
    public var unit: String?
    public var system: String?
    public var code: String?

    public init(value: Double? = nil, comparator: String? = nil, unit: String? = nil, system: String? = nil, code: String? = nil) {
        self.value = value
        self.comparator = comparator
        self.unit = unit
        self.system = system
        self.code = code
    }
}

/// A business identifier (`Identifier`).
public struct FHIRIdentifier: Codable, Equatable, Sendable {
    /// E.g. `SYSID`, `BTMAC` (PHD device identifiers), `MR` (medical record number).
    public var type: FHIRCodeableConcept?
    public var system: String?
    public var value: String?

    public init(type: FHIRCodeableConcept? = nil, system: String? = nil, value: String? = nil) {
        self.type = type
        self.system = system
        self.value = value
    }
}

/// A literal (`Type/id`) or logical (identifier) reference (`Reference`).
public struct FHIRReference: Codable, Equatable, Sendable {
    public var reference: String?
    public var identifier: FHIRIdentifier?
    public var display: String?

    public init(reference: String? = nil, identifier: FHIRIdentifier? = nil, display: String? = nil) {
        self.reference = reference
        self.identifier = identifier
        self.display = display
    }

    /// The id after `type/` in a relative literal reference (`Device/abc` → `abc`);
    /// a trailing `/_history/n` is ignored. `nil` for other types or empty ids.
    public func id(ofType type: String) -> String? {
        guard let reference, reference.hasPrefix(type + "/") else { return nil }
        let id = reference.dropFirst(type.count + 1).prefix { $0 != "/" }
        return id.isEmpty ? nil : String(id)
    }
}

/// A time range (`Period`), as FHIR dateTime strings.
public struct FHIRPeriod: Codable, Equatable, Sendable {
    public var start: String?
    public var end: String?

    public init(start: String? = nil, end: String? = nil) {
        self.start = start
        self.end = end
    }
}

/// An extension (`Extension`) with the value types Varde uses.
public struct FHIRExtension: Codable, Equatable, Sendable {
    public var url: String
    public var valueReference: FHIRReference?
    public var valueString: String?
    public var valueCode: String?
    public var valueCoding: FHIRCoding?
    public var valueCodeableConcept: FHIRCodeableConcept?

    public init(
        url: String, valueReference: FHIRReference? = nil, valueString: String? = nil, valueCode: String? = nil,
        valueCoding: FHIRCoding? = nil, valueCodeableConcept: FHIRCodeableConcept? = nil
    ) {
        self.url = url
        self.valueReference = valueReference
        self.valueString = valueString
        self.valueCode = valueCode
        self.valueCoding = valueCoding
        self.valueCodeableConcept = valueCodeableConcept
    }
}

/// Resource metadata (`Meta`): the profiles claimed, and security labels
/// (`HTEST`: test data, which a PHD gateway sets for a device in demo mode).
public struct FHIRMeta: Codable, Equatable, Sendable {
    public var profile: [String]?
    public var security: [FHIRCoding]?

    public init(profile: [String]? = nil, security: [FHIRCoding]? = nil) {
        self.profile = profile
        self.security = security
    }
}

/// A text note (`Annotation`).
public struct FHIRAnnotation: Codable, Equatable, Sendable {
    public var text: String

    public init(text: String) { self.text = text }
}
