extension FHIRMappingError {
    /// A validator or domain error on an Observation of `kind`, with the JSON pointer
    /// translated into a FHIRPath expression on the Observation.
    public init(_ error: DomainError, kind: MeasurementKind) {
        let expression = error.field.map { Self.expression(forPointer: $0, kind: kind) } ?? "Observation"
        switch error {
        case .invalid:
            self.init(status: 422, issueCode: "invalid", message: error.description, expression: expression)
        case .implausible:
            self.init(status: 422, issueCode: "value", message: error.description, expression: expression)
        case .unknownUnit:
            self.init(status: 422, issueCode: "code-invalid", message: error.description, expression: expression)
        case .notFound:
            self.init(status: 404, issueCode: "not-found", message: error.description, expression: "Observation.subject")
        case .conflict, .versionConflict, .reused:
            self.init(status: 409, issueCode: "conflict", message: error.description, expression: expression)
        }
    }

    /// `/systolic` → `Observation.component.where(code.coding.code='8480-6').valueQuantity.value`, etc.
    static func expression(forPointer pointer: String, kind: MeasurementKind) -> String {
        func component(_ loinc: String, _ element: String) -> String {
            "Observation.component.where(code.coding.code='\(loinc)').valueQuantity.\(element)"
        }
        switch pointer {
        case "/unit" where kind == .bloodPressure: return component(FHIRCodes.systolic, "code")
        case "/unit": return "Observation.valueQuantity.code"
        case "/value": return "Observation.valueQuantity.value"
        case "/systolic": return component(FHIRCodes.systolic, "value")
        case "/diastolic": return component(FHIRCodes.diastolic, "value")
        case "/pulse": return component(FHIRCodes.heartRate, "value")
        case "/measuredAt": return "Observation.effective"
        case "/kind": return "Observation.code"
        case "/deviceSerial": return "Observation.device"
        case "/patientId", "/subject": return "Observation.subject"
        default: return "Observation"
        }
    }
}
