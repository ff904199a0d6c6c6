/// A FHIR R4 `Observation`, reduced to what the vital-signs profile and Varde use.
/// Other members (`text`, `meta`, `interpretation`, …) are ignored on decode.
public struct FHIRObservation: Codable, Equatable, Sendable {
    /// A component of a panel, e.g. systolic inside a blood-pressure panel.
    public struct Component: Codable, Equatable, Sendable {
        public var code: FHIRCodeableConcept?
        public var valueQuantity: FHIRQuantity?
        public var dataAbsentReason: FHIRCodeableConcept?

        public init(code: FHIRCodeableConcept? = nil, valueQuantity: FHIRQuantity? = nil, dataAbsentReason: FHIRCodeableConcept? = nil) {
            self.code = code
            self.valueQuantity = valueQuantity
            self.dataAbsentReason = dataAbsentReason
        }
    }

    public var resourceType: String
    public var id: String?
    public var meta: FHIRMeta?
    public var extensions: [FHIRExtension]?
    public var identifier: [FHIRIdentifier]?
    /// `registered`, `preliminary`, `final`, `amended`, `corrected`, `cancelled`, `entered-in-error`, `unknown`.
    public var status: String?
    public var category: [FHIRCodeableConcept]?
    public var code: FHIRCodeableConcept?
    public var subject: FHIRReference?
    public var effectiveDateTime: String?
    public var effectivePeriod: FHIRPeriod?
    public var effectiveInstant: String?
    public var issued: String?
    public var valueQuantity: FHIRQuantity?
    public var dataAbsentReason: FHIRCodeableConcept?
    public var device: FHIRReference?
    public var component: [Component]?
    /// PHD measurement-status flags (`questionable`, …) travel here.
    public var interpretation: [FHIRCodeableConcept]?
    /// A coincident timestamp's device time.
    public var valueDateTime: String?
    public var derivedFrom: [FHIRReference]?
    public var hasMember: [FHIRReference]?
    /// A human note; Varde writes one on a reading whose device clock was far off.
    public var note: [FHIRAnnotation]?

    private enum CodingKeys: String, CodingKey {
        case resourceType, id, meta
        case extensions = "extension"
        case identifier, status, category, code, subject
        case effectiveDateTime, effectivePeriod, effectiveInstant, issued, valueQuantity, dataAbsentReason
        case device, component, interpretation, valueDateTime, derivedFrom, hasMember, note
    }

    public init(
        id: String? = nil, extensions: [FHIRExtension]? = nil, identifier: [FHIRIdentifier]? = nil,
        status: String? = nil, category: [FHIRCodeableConcept]? = nil, code: FHIRCodeableConcept? = nil,
        subject: FHIRReference? = nil, effectiveDateTime: String? = nil, effectivePeriod: FHIRPeriod? = nil,
        effectiveInstant: String? = nil, issued: String? = nil, valueQuantity: FHIRQuantity? = nil,
        dataAbsentReason: FHIRCodeableConcept? = nil, device: FHIRReference? = nil, component: [Component]? = nil
    ) {
        self.resourceType = "Observation"
        self.id = id
        self.extensions = extensions
        self.identifier = identifier
        self.status = status
        self.category = category
        self.code = code
        self.subject = subject
        self.effectiveDateTime = effectiveDateTime
        self.effectivePeriod = effectivePeriod
        self.effectiveInstant = effectiveInstant
        self.issued = issued
        self.valueQuantity = valueQuantity
        self.dataAbsentReason = dataAbsentReason
        self.device = device
        self.component = component
    }
}
