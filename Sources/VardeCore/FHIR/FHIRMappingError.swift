/// Why a FHIR resource could not become a reading: an HTTP-ish status (400 for
/// structure, 422 for content), an OperationOutcome issue type, a message and a
/// FHIRPath `expression` naming the offending element.
///
/// Messages never contain national identifiers or other submitted values.
public struct FHIRMappingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 400, 422, or (for domain errors) 404 / 409.
    public var status: Int
    /// FHIR `IssueType` code: `invalid`, `structure`, `required`, `value`, `code-invalid`,
    /// `not-supported`, `business-rule`, `not-found`, `conflict`.
    public var issueCode: String
    public var message: String
    /// FHIRPath, e.g. `Observation.valueQuantity.code`; empty when no element is at
    /// fault (a search's paging parameters).
    public var expression: String

    public init(status: Int, issueCode: String, message: String, expression: String) {
        self.status = status
        self.issueCode = issueCode
        self.message = message
        self.expression = expression
    }

    /// 422: a well-formed resource whose content Varde cannot accept.
    public static func unprocessable(_ message: String, at expression: String, code: String = "invalid") -> Self {
        Self(status: 422, issueCode: code, message: message, expression: expression)
    }

    /// 400: the request or resource is structurally wrong.
    public static func badRequest(_ message: String, at expression: String, code: String = "structure") -> Self {
        Self(status: 400, issueCode: code, message: message, expression: expression)
    }

    /// 424: refers to a Patient or Device entry of the same Bundle that could not be resolved (its own entry says why).
    public static func failedEntry(at expression: String) -> Self {
        Self(status: 424, issueCode: "processing", message: "refers to an entry of this Bundle that failed", expression: expression)
    }

    public var description: String { "\(expression): \(message)" }

    /// The same error located inside entry `index` of a Bundle: `Observation.status`
    /// becomes `Bundle.entry[2].resource.status`. Expressions already rooted at
    /// `Bundle` are left alone.
    public func inBundleEntry(_ index: Int) -> Self {
        guard !expression.hasPrefix("Bundle") else { return self }
        var copy = self
        let rest = expression.drop { $0 != "." }
        copy.expression = "Bundle.entry[\(index)].resource" + rest
        return copy
    }

    /// The HTTP status line of `status`, e.g. `422 Unprocessable Entity`.
    public var statusLine: String {
        let reason =
            switch status {
            case 400: "Bad Request"
            case 404: "Not Found"
            case 409: "Conflict"
            case 422: "Unprocessable Entity"
            case 424: "Failed Dependency"
            default: "Error"
            }
        return "\(status) \(reason)"
    }
}
