import Foundation

/// What the references of one Observation in a Bundle point at, once the
/// Bundle's Patient and Device entries are resolved: keyed by the reference
/// text as written (`urn:uuid:…`, or `Patient/x` resolved against the entry's
/// absolute `fullUrl`, as FHIR resolves references inside a Bundle). A
/// reference that names no entry of the Bundle is not here and is read as a
/// reference to Varde's own resources.
public struct FHIRBundleLinks: Equatable, Sendable {
    public enum Target: Equatable, Sendable {
        case patient(UUID)
        /// The binding's serial, and whether the device said its clock is not synchronised.
        case device(serial: String, noTimeSync: Bool)
        /// A coincident timestamp entry: the device clock's offset from the
        /// gateway's in seconds, or nil when the device's time was not known (a time fault).
        case coincidentTime(offset: Double?)
        /// Another Observation of the Bundle (`derivedFrom`, `hasMember`).
        case observation
        /// An entry of another type, or one that could not be resolved.
        case unusable(resourceType: String)
    }

    public var targets: [String: Target]

    public init(targets: [String: Target] = [:]) { self.targets = targets }

    public static let none = FHIRBundleLinks()

    /// The target of `reference`, if it names an entry of the Bundle.
    public func target(_ reference: FHIRReference?) -> Target? {
        reference?.reference.flatMap { targets[$0] }
    }
}

/// Why an Observation is not a reading although nothing is wrong with it: a
/// kind Varde does not monitor, a coincident timestamp, a value the device
/// itself marked absent or doubtful. A Bundle acknowledges such an entry with
/// a warning; `POST /fhir/Observation` refuses it (nothing was created).
public struct FHIRNotAReading: Equatable, Sendable {
    public var message: String
    /// FHIRPath rooted at `Observation`.
    public var expression: String
    public var issueCode: String

    public init(_ message: String, at expression: String, code: String = "informational") {
        self.message = message
        self.expression = expression
        self.issueCode = code
    }

    /// As a refusal (422) of a lone Observation.
    public var error: FHIRMappingError { .unprocessable("not stored: " + message, at: expression, code: issueCode) }
}

/// What an Observation becomes.
public enum FHIRObservationMapping: Equatable, Sendable {
    case reading(ReadingSubmission)
    case notAReading(FHIRNotAReading)
}
