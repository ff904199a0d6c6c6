import Foundation

/// Deterministic JSON for FHIR resources, and decoding that reports failures as
/// `FHIRMappingError`s with a FHIRPath expression.
public enum FHIRJSON {
    /// Sorted keys, unescaped slashes. FHIR dates are strings already, so no date strategy.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `value` as deterministic JSON.
    public static func encode(_ value: some Encodable) throws -> Data {
        try encoder().encode(value)
    }

    /// Decodes `type` from `data`; `root` names the resource in error expressions
    /// (`Observation`, `Bundle`). Any failure becomes a 400.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, root: String) throws(FHIRMappingError) -> T {
        do {
            try StrictJSON.check(data, limits: .fhir)
        } catch {
            let expression = path(pointer: error.pointer, root: root)
            throw error.kind == .malformed
                ? .badRequest(error.reason, at: expression) : .unprocessable(error.reason, at: expression, code: "value")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw mappingError(error, root: root)
        } catch {
            throw .badRequest("the body could not be read as FHIR JSON", at: root)
        }
    }

    /// A JSON pointer as a FHIRPath under `root`: `/entry/0/resource` → `Bundle.entry[0].resource`.
    static func path(pointer: String, root: String) -> String {
        pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().reduce(root) { path, token in
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            return Int(key).map { "\(path)[\($0)]" } ?? "\(path).\(key)"
        }
    }

    /// `error` as a 400, with its coding path after the first `droppingPrefix` keys
    /// turned into a FHIRPath under `root`. The message never echoes the JSON.
    static func mappingError(_ error: DecodingError, root: String, droppingPrefix: Int = 0) -> FHIRMappingError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.dropFirst(droppingPrefix).reduce(root) { path, key in
                if let index = key.intValue { "\(path)[\(index)]" } else { "\(path).\(key.stringValue)" }
            }
        }
        switch error {
        case .typeMismatch(_, let context):
            return .badRequest("has the wrong JSON type", at: path(context.codingPath))
        case .valueNotFound(_, let context):
            return .badRequest("must not be null", at: path(context.codingPath))
        case .keyNotFound(let key, let context):
            return .badRequest("is required", at: path(context.codingPath + [key]), code: "required")
        case .dataCorrupted(let context) where context.codingPath.count <= droppingPrefix:
            return .badRequest("is not valid JSON", at: root)
        case .dataCorrupted(let context):
            return .badRequest("is not a valid value", at: path(context.codingPath), code: "value")
        @unknown default:
            return .badRequest("could not be decoded", at: root)
        }
    }
}
