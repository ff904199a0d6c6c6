/// A resource inside a Bundle entry, chosen by its `resourceType`.
///
/// An Observation that fails to decode becomes `.malformed` instead of failing the
/// whole Bundle, so a batch can answer that one entry with its own error.
public enum FHIRResource: Codable, Equatable, Sendable {
    case observation(FHIRObservation)
    case patient(FHIRPatient)
    case device(FHIRDevice)
    case operationOutcome(FHIROperationOutcome)
    /// Any other resource type; only its type is kept (and written back).
    case other(resourceType: String)
    /// A resource whose JSON did not fit its type; `error` is rooted at the resource.
    case malformed(resourceType: String, error: FHIRMappingError)

    private enum TypeKey: String, CodingKey { case resourceType }

    public var resourceType: String {
        switch self {
        case .observation: "Observation"
        case .patient: "Patient"
        case .device: "Device"
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
        func decoded<T: Decodable>(_ make: (T) -> FHIRResource) -> FHIRResource {
            do {
                return make(try T(from: decoder))
            } catch let error as DecodingError {
                return .malformed(
                    resourceType: type, error: FHIRJSON.mappingError(error, root: type, droppingPrefix: decoder.codingPath.count))
            } catch {
                return .malformed(resourceType: type, error: .badRequest("could not be decoded", at: type))
            }
        }
        switch type {
        case "Observation": self = decoded(FHIRResource.observation)
        case "Patient": self = decoded(FHIRResource.patient)
        case "Device": self = decoded(FHIRResource.device)
        case "OperationOutcome":
            self = .operationOutcome(try FHIROperationOutcome(from: decoder))
        default:
            self = .other(resourceType: type)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .observation(let observation): try observation.encode(to: encoder)
        case .patient(let patient): try patient.encode(to: encoder)
        case .device(let device): try device.encode(to: encoder)
        case .operationOutcome(let outcome): try outcome.encode(to: encoder)
        case .other(let type), .malformed(let type, _):
            var container = encoder.container(keyedBy: TypeKey.self)
            try container.encode(type, forKey: .resourceType)
        }
    }
}
