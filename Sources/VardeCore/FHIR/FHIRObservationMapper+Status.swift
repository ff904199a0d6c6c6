extension FHIRObservationMapper {
    /// Why the device's own word makes `o` no reading (HL7 PHD IG, measurement
    /// status): no value (`dataAbsentReason`, e.g. not-a-number), a value it
    /// marks doubtful, still calibrating or an early estimate (`interpretation`,
    /// or a `measurementStatus` extension), or test data (`meta.security` HTEST).
    /// Such a value must not be judged against thresholds, and nothing is wrong
    /// with the upload that carries it.
    static func deviceFlag(_ o: FHIRObservation, kind: MeasurementKind) -> FHIRNotAReading? {
        if let reason = o.dataAbsentReason, o.valueQuantity == nil {
            return FHIRNotAReading("the device sent no value (\(code(reason)))", at: "Observation.dataAbsentReason", code: "incomplete")
        }
        if kind == .bloodPressure {
            for (i, component) in (o.component ?? []).enumerated() {
                let codes = (component.code?.codes(in: FHIRCodes.loinc) ?? []) + (component.code?.codes(in: PHDCodes.mdc) ?? [])
                let needed = [FHIRCodes.systolic, FHIRCodes.diastolic, PHDCodes.systolic, PHDCodes.diastolic]
                if let reason = component.dataAbsentReason, component.valueQuantity == nil, codes.contains(where: needed.contains) {
                    return FHIRNotAReading(
                        "the device sent no value (\(code(reason)))", at: "Observation.component[\(i)].dataAbsentReason", code: "incomplete"
                    )
                }
            }
        }
        for (i, concept) in (o.interpretation ?? []).enumerated() {
            if let flag = concept.codes(in: PHDCodes.measurementStatusSystem).first(where: PHDCodes.doubtfulStatuses.contains) {
                return FHIRNotAReading("the device marked the value \(flag)", at: "Observation.interpretation[\(i)]", code: "business-rule")
            }
        }
        if (o.meta?.security ?? []).contains(where: { $0.system == PHDCodes.actReasonSystem && $0.code == "HTEST" }) {
            return FHIRNotAReading("the device marked the value as test data", at: "Observation.meta.security", code: "business-rule")
        }
        for (i, ext) in (o.extensions ?? []).enumerated() where ext.url.lowercased().hasSuffix("measurementstatus") {
            let words =
                [ext.valueCode, ext.valueString, ext.valueCoding?.code].compactMap { $0 }
                + (ext.valueCodeableConcept?.coding ?? []).compactMap(\.code)
            if let flag = words.map({ $0.lowercased() }).first(where: PHDCodes.invalidStatusWords.contains) {
                return FHIRNotAReading("the device marked the value \(flag)", at: "Observation.extension[\(i)]", code: "business-rule")
            }
        }
        return nil
    }

    /// The data-absent-reason code, for the message (a code from a fixed value set, never patient data).
    private static func code(_ reason: FHIRCodeableConcept) -> String {
        let code = reason.coding?.first?.code ?? "no reason given"
        return code.count <= 40 && code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) ? code : "a reason"
    }
}
