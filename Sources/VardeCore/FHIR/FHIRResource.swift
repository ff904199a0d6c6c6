/// A resource inside a Bundle entry, chosen by its `resourceType`.
///
/// An Observation that fails to decode becomes `.malformed` instead of failing the
/// whole Bundle, so a batch can answer that one entry with its own error.
public enum FHIRResource: Codable, Equatable, Sendable {
    case observation(FHIRObservation)
    case operationOutcome(FHIROperationOutcome)
    /// Any other resource type; only its type is kept (and written back).
    case other(resourceType: String)
    /// A resource whose JSON did not fit its type; `error` is rooted at the resource.
    case malformed(resourceType: String, error: FHIRMappingError)

    private enum TypeKey: String, CodingKey { case resourceType }

    public var resourceType: String {
        switch self {
        case .observation: "Observation"
        case .operationOutcome: "OperationOutcome"
        case .other(let type), .malformed(let type, _): type
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        guard let type = try? container.decodeIfPresent(String.self, forKey: .resourceType) else {
            self = .malformed(resourceType: "", error: .badRequest("is required", at: "Resource.resourceType", code: "required"))
            return
        }
        switch type {
        case "Observation":
            do {
                self = .observation(try FHIRObservation(from: decoder))
            } catch let error as DecodingError {
                self = .malformed(
                    resourceType: type,
                    error: FHIRJSON.mappingError(error, root: type, droppingPrefix: decoder.codingPath.count))
            }
        case "OperationOutcome":
            self = .operationOutcome(try FHIROperationOutcome(from: decoder))
        default:
            self = .other(resourceType: type)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .observation(let observation): try observation.encode(to: encoder)
        case .operationOutcome(let outcome): try outcome.encode(to: encoder)
        case .other(let type), .malformed(let type, _):
            var container = encoder.container(keyedBy: TypeKey.self)
            try container.encode(type, forKey: .resourceType)
        }
    }
}
