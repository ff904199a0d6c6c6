import Foundation

/// A Patient entry of a PHD gateway's Bundle: a conditional create that Varde
/// resolves to an enrolled patient and never creates. It names the patient by
/// the identifiers of its `ifNoneExist` and of the resource: a fødselsnummer
/// or D-nummer, or identifiers a clinician registered (`RegisteredIdentifier`).
public struct FHIRPatientClaim: Equatable, Sendable {
    public var nationalIDs: [String]
    public var identifiers: [RegisteredIdentifier]

    public init(nationalIDs: [String] = [], identifiers: [RegisteredIdentifier] = []) {
        self.nationalIDs = nationalIDs
        self.identifiers = identifiers
    }
}

/// A Device entry (the gateway itself or a measuring device): resolved to a
/// device bound to a patient by its identifiers (EUI-64, Bluetooth address)
/// or its serial number, never created. `description` is recorded with the
/// binding when it is new.
public struct FHIRDeviceClaim: Equatable, Sendable {
    public var identifiers: [RegisteredIdentifier]
    public var serialNumber: String?
    public var description: DeviceDescription

    public init(identifiers: [RegisteredIdentifier], serialNumber: String?, description: DeviceDescription) {
        self.identifiers = identifiers
        self.serialNumber = serialNumber
        self.description = description
    }
}

/// What a Bundle's entries are, before the server resolves its Patient and
/// Device entries: `FHIRBundleReader.plan`.
public struct FHIRBundlePlan: Sendable {
    public enum Entry: Sendable {
        case patient(FHIRPatientClaim)
        case device(FHIRDeviceClaim)
        case observation(FHIRObservation)
        /// Why the entry is unusable (expression rooted at `Bundle`).
        case invalid(FHIRMappingError)
    }

    public var mode: FHIRBundleMode
    public var fullUrls: [String?]
    public var entries: [Entry]

    /// The Patient and Device entries once resolved: a patient id, a bound device.
    public struct Resolution: Sendable {
        public var patients: [Int: UUID] = [:]
        public var devices: [Int: (serial: String, noTimeSync: Bool)] = [:]

        public init() {}
    }
}
