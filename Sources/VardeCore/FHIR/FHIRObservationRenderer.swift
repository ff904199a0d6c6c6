/// Renders stored readings as vital-signs Observations in canonical UCUM units.
public enum FHIRObservationRenderer {
    public static func observation(for r: FHIRReadingRecord) -> FHIRObservation {
        var o = FHIRObservation(
            id: r.eventID.lowercasedText,
            identifier: [identifier(r.gatewayReadingID)],
            status: r.voided ? "entered-in-error" : "final",
            category: [FHIRCodes.vitalSignsCategory],
            code: FHIRCodes.code(for: r.value.kind),
            subject: FHIRReference(reference: "Patient/" + r.patientID.lowercasedText),
            effectiveDateTime: FHIRDateTime.format(r.measuredAt),
            issued: FHIRDateTime.format(r.receivedAt),
            device: r.deviceSerial.map(device))
        switch r.value {
        case .bloodPressure(let systolic, let diastolic, let pulse):
            var components = [
                component(FHIRCodes.systolic, "Systolic blood pressure", systolic, .bloodPressure),
                component(FHIRCodes.diastolic, "Diastolic blood pressure", diastolic, .bloodPressure),
            ]
            if let pulse { components.append(component(FHIRCodes.heartRate, "Heart rate", pulse, .pulse)) }
            o.component = components
        case .spo2(let v), .weight(let v), .pulse(let v), .temperature(let v):
            o.valueQuantity = quantity(v, r.value.kind)
        }
        return o
    }

    private static func component(_ loinc: String, _ display: String, _ value: Double, _ kind: MeasurementKind) -> FHIRObservation.Component
    {
        FHIRObservation.Component(code: FHIRCodes.loincConcept(loinc, display), valueQuantity: quantity(value, kind))
    }

    private static func quantity(_ value: Double, _ kind: MeasurementKind) -> FHIRQuantity {
        let code = UnitConverter.canonicalUnit(for: kind)
        let unit =
            switch kind {
            case .bloodPressure: "mmHg"
            case .pulse: "beats/minute"
            case .temperature: "°C"
            case .spo2, .weight: code
            }
        return FHIRQuantity(value: value, unit: unit, system: FHIRCodes.ucum, code: code)
    }

    /// `system|value` splits back into system and value; content keys and plain ids stay whole.
    private static func identifier(_ readingID: String) -> FHIRIdentifier {
        if !readingID.hasPrefix("content:"), let bar = readingID.firstIndex(of: "|") {
            let system = readingID[..<bar]
            let value = readingID[readingID.index(after: bar)...]
            if !system.isEmpty, !value.isEmpty { return FHIRIdentifier(system: String(system), value: String(value)) }
        }
        return FHIRIdentifier(value: readingID)
    }

    /// `Device/<serial>` when the serial is a valid FHIR id, else a logical reference by identifier.
    private static func device(_ serial: String) -> FHIRReference {
        let validID =
            (1...64).contains(serial.utf8.count)
            && serial.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x2E
            }
        return validID ? FHIRReference(reference: "Device/" + serial) : FHIRReference(identifier: FHIRIdentifier(value: serial))
    }
}
