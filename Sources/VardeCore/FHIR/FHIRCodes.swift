/// Code systems, codes and URLs of the FHIR vital-signs mapping.
public enum FHIRCodes {
    public static let loinc = "http://loinc.org"
    public static let ucum = "http://unitsofmeasure.org"
    public static let observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
    public static let vitalSigns = "vital-signs"
    public static let gatewayDeviceExtension = "http://hl7.org/fhir/StructureDefinition/observation-gatewayDevice"

    public static let bloodPressurePanel = "85354-9"
    public static let systolic = "8480-6"
    public static let diastolic = "8462-4"
    public static let heartRate = "8867-4"
    public static let pulseOximetry = "59408-5"
    public static let oxygenSaturation = "2708-6"
    public static let bodyWeight = "29463-7"
    public static let bodyWeightMeasured = "3141-9"
    public static let bodyTemperature = "8310-5"

    /// The measurement a top-level LOINC code stands for, if Varde accepts it.
    public static func kind(forLOINC code: String) -> MeasurementKind? {
        switch code {
        case bloodPressurePanel: .bloodPressure
        case pulseOximetry, oxygenSaturation: .spo2
        case bodyWeight, bodyWeightMeasured: .weight
        case heartRate: .pulse
        case bodyTemperature: .temperature
        default: nil
        }
    }

    /// The `Observation.code` Varde writes for `kind` (LOINC, with the vital-signs profile's code first).
    public static func code(for kind: MeasurementKind) -> FHIRCodeableConcept {
        switch kind {
        case .bloodPressure: concept([(bloodPressurePanel, "Blood pressure panel with all children optional")], "Blood pressure")
        case .spo2:
            concept(
                [
                    (oxygenSaturation, "Oxygen saturation in Arterial blood"),
                    (pulseOximetry, "Oxygen saturation in Arterial blood by Pulse oximetry"),
                ], "Oxygen saturation")
        case .weight: concept([(bodyWeight, "Body weight")], "Body weight")
        case .pulse: concept([(heartRate, "Heart rate")], "Heart rate")
        case .temperature: concept([(bodyTemperature, "Body temperature")], "Body temperature")
        }
    }

    /// A LOINC concept with one coding, for blood-pressure components.
    public static func loincConcept(_ code: String, _ display: String) -> FHIRCodeableConcept {
        concept([(code, display)], display)
    }

    /// The `vital-signs` category.
    public static var vitalSignsCategory: FHIRCodeableConcept {
        FHIRCodeableConcept(
            coding: [FHIRCoding(system: observationCategory, code: vitalSigns, display: "Vital Signs")],
            text: "Vital Signs")
    }

    private static func concept(_ codes: [(String, String)], _ text: String) -> FHIRCodeableConcept {
        FHIRCodeableConcept(coding: codes.map { FHIRCoding(system: loinc, code: $0.0, display: $0.1) }, text: text)
    }
}
