/// A FHIR R4 `Patient`, reduced to what a PHD gateway's conditional create
/// names it by (`identifier`) and what Varde's minimal read shows. Other
/// members (names, addresses, …) are ignored on decode and never written:
/// Varde keeps no names.
public struct FHIRPatient: Codable, Equatable, Sendable {
    public var resourceType: String
    public var id: String?
    public var meta: FHIRMeta?
    public var identifier: [FHIRIdentifier]?
    /// False once the patient is discharged.
    public var active: Bool?

    public init(id: String? = nil, meta: FHIRMeta? = nil, identifier: [FHIRIdentifier]? = nil, active: Bool? = nil) {
        self.resourceType = "Patient"
        self.id = id
        self.meta = meta
        self.identifier = identifier
        self.active = active
    }
}
