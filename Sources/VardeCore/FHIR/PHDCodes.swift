/// The IEEE 11073-10101 (MDC) codes and HL7 PHD IG URLs a Personal Health
/// Device gateway sends, and the readings Varde makes of them. PHD gateways
/// code every Observation in MDC and add LOINC only for vital signs (and not
/// always), so an MDC coding alone names a reading as well as the LOINC one.
public enum PHDCodes {
    public static let mdc = "urn:iso:std:iso:11073:10101"
    public static let phdCategorySystem = "http://hl7.org/fhir/uv/phd/CodeSystem/PhdObservationCategories"
    public static let coincidentTimeStampExtension = "http://hl7.org/fhir/uv/phd/StructureDefinition/CoincidentTimeStampReference"
    /// Measurement-status flags as the IG maps them to `Observation.interpretation`.
    public static let measurementStatusSystem = "http://hl7.org/fhir/uv/pocd/CodeSystem/measurement-status"
    public static let actReasonSystem = "http://terminology.hl7.org/CodeSystem/v3-ActReason"

    public static let bloodPressure = "150020"
    public static let systolic = "150021"
    public static let diastolic = "150022"
    public static let spo2 = "150456"
    public static let pulseFromOximeter = "149530"
    public static let pulseFromCuff = "149546"
    public static let bodyWeight = "188736"
    public static let bodyTemperature = "150364"
    /// The device's time against the gateway's: MDC_ATTR_TIME_ABS (wall clock
    /// without zone), the wall clock with zone and DST (68225), a tick counter (67983).
    public static let coincidentTimeCodes: Set<String> = ["67975", "68225", "67983"]
    /// Device property: MDC_TIME_SYNC_PROTOCOL.
    public static let timeSyncProperty = "68220"
    /// Device version: MDC_ID_PROD_SPEC_FW.
    public static let firmwareVersion = "531976"

    /// The measurement an MDC `Observation.code` stands for, if Varde monitors it.
    public static func kind(forMDC code: String) -> MeasurementKind? {
        switch code {
        case bloodPressure: .bloodPressure
        case spo2: .spo2
        case pulseFromOximeter, pulseFromCuff: .pulse
        case bodyWeight: .weight
        case bodyTemperature: .temperature
        default: nil
        }
    }

    /// Measurement-status flags (interpretation codes) that make a value no reading:
    /// the device itself doubts it, is still calibrating, or gave an early estimate.
    public static let doubtfulStatuses: Set<String> = ["questionable", "calibration-ongoing", "early-indication"]
    /// Words a `measurementStatus` extension may carry that make a value no reading.
    public static let invalidStatusWords: Set<String> = [
        "invalid", "questionable", "not-available", "calibration-ongoing", "test-data", "demo-data", "early-indication",
        "msmt-ongoing", "measurement-ongoing", "unavailable",
    ]
}
