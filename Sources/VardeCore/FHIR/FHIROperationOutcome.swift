/// A FHIR R4 `OperationOutcome`: the error body of a failed request or bundle entry.
public struct FHIROperationOutcome: Codable, Equatable, Sendable {
    public struct Issue: Codable, Equatable, Sendable {
        /// `fatal`, `error`, `warning` or `information`.
        public var severity: String
        /// FHIR `IssueType`, e.g. `invalid`, `processing`, `not-found`.
        public var code: String
        public var diagnostics: String?
        /// FHIRPath expressions of the offending elements.
        public var expression: [String]?

        public init(severity: String, code: String, diagnostics: String? = nil, expression: [String]? = nil) {
            self.severity = severity
            self.code = code
            self.diagnostics = diagnostics
            self.expression = expression
        }
    }

    public var resourceType: String
    public var id: String?
    public var issue: [Issue]

    public init(id: String? = nil, issue: [Issue]) {
        self.resourceType = "OperationOutcome"
        self.id = id
        self.issue = issue
    }

    /// One error issue. `diagnostics` must not hold identifiers or submitted values.
    public static func error(code: String, diagnostics: String, expression: String? = nil) -> Self {
        Self(issue: [Issue(severity: "error", code: code, diagnostics: diagnostics, expression: expression.map { [$0] })])
    }

    /// One warning issue: the entry was taken, and this is worth knowing.
    public static func warning(code: String, diagnostics: String, expression: String? = nil) -> Self {
        Self(issue: [Issue(severity: "warning", code: code, diagnostics: diagnostics, expression: expression.map { [$0] })])
    }

    /// The outcome describing `error` (without `expression` when the error names no element).
    public init(_ error: FHIRMappingError) {
        self = .error(code: error.issueCode, diagnostics: error.message, expression: error.expression.isEmpty ? nil : error.expression)
    }
}
