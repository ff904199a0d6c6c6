extension FHIRObservationMapper {
    /// Fills unit and values: `valueQuantity` for single values, components for blood pressure.
    static func readValues(of o: FHIRObservation, into s: inout ReadingSubmission) throws(FHIRMappingError) {
        guard s.kind == .bloodPressure else {
            guard let q = o.valueQuantity else {
                let why = o.dataAbsentReason == nil ? "is required (valueQuantity)" : "is absent (dataAbsentReason)"
                throw .unprocessable(why, at: "Observation.value[x]", code: "required")
            }
            (s.value, s.unit) = try quantity(q, at: "Observation.valueQuantity")
            return
        }
        var found: [String: (value: Double, unit: String, index: Int)] = [:]
        for (i, component) in (o.component ?? []).enumerated() {
            // MDC-only components (PHD cuffs) count as their LOINC twins.
            let codes =
                (component.code?.codes(in: FHIRCodes.loinc) ?? [])
                + (component.code?.codes(in: PHDCodes.mdc) ?? []).compactMap { mdc in
                    switch mdc {
                    case PHDCodes.systolic: FHIRCodes.systolic
                    case PHDCodes.diastolic: FHIRCodes.diastolic
                    default: nil
                    }
                }
            guard let code = [FHIRCodes.systolic, FHIRCodes.diastolic, FHIRCodes.heartRate].first(where: codes.contains) else {
                continue  // e.g. mean arterial pressure: not stored
            }
            guard found[code] == nil else {
                throw .unprocessable("repeats LOINC \(code) (or its MDC twin)", at: "Observation.component[\(i)].code")
            }
            guard let q = component.valueQuantity else {
                throw .unprocessable("is required (valueQuantity)", at: "Observation.component[\(i)].value[x]", code: "required")
            }
            let (value, unit) = try quantity(q, at: "Observation.component[\(i)].valueQuantity")
            found[code] = (value, unit, i)
        }
        guard let systolic = found[FHIRCodes.systolic] else {
            throw .unprocessable("needs a systolic component (LOINC 8480-6)", at: "Observation.component", code: "required")
        }
        guard let diastolic = found[FHIRCodes.diastolic] else {
            throw .unprocessable("needs a diastolic component (LOINC 8462-4)", at: "Observation.component", code: "required")
        }
        guard diastolic.unit == systolic.unit else {
            throw .unprocessable(
                "must use the same unit as the systolic component",
                at: "Observation.component[\(diastolic.index)].valueQuantity.code")
        }
        if let pulse = found[FHIRCodes.heartRate], pulse.unit != "/min" {
            throw .unprocessable(
                "heart rate must be in /min", at: "Observation.component[\(pulse.index)].valueQuantity.code",
                code: "code-invalid")
        }
        s.unit = systolic.unit
        s.systolic = systolic.value
        s.diastolic = diastolic.value
        s.pulse = found[FHIRCodes.heartRate]?.value
    }

    /// Value and UCUM code of `q`: exact (no comparator), in UCUM when a system is given.
    static func quantity(_ q: FHIRQuantity, at path: String) throws(FHIRMappingError) -> (Double, String) {
        guard q.comparator == nil else {
            throw .unprocessable("a comparator is not accepted; send the measured value", at: path + ".comparator", code: "not-supported")
        }
        if let system = q.system, system != FHIRCodes.ucum {
            throw .unprocessable("must be \(FHIRCodes.ucum) (UCUM)", at: path + ".system", code: "code-invalid")
        }
        guard let code = q.code, !code.isEmpty else {
            throw .unprocessable("is required: the UCUM unit code", at: path + ".code", code: "required")
        }
        guard let value = q.value else { throw .unprocessable("is required", at: path + ".value", code: "required") }
        return (value, code)
    }
}
