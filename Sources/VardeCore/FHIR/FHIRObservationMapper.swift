import Foundation

/// Maps a vital-signs `Observation` from a device gateway to a `ReadingSubmission`.
///
/// Checks the profile's required elements (status, vital-signs category, LOINC code,
/// subject or device, effective time) and reads values and UCUM units as sent; unit
/// conversion and plausibility are left to `ReadingValidator`.
public enum FHIRObservationMapper {
    /// Statuses that carry a usable result.
    public static let acceptedStatuses: Set<String> = ["final", "amended", "corrected", "preliminary"]

    /// The submission `o` describes, or the first reason it cannot be one. Errors carry
    /// expressions rooted at `Observation` (see `FHIRMappingError.inBundleEntry(_:)`).
    public static func submission(from o: FHIRObservation) throws(FHIRMappingError) -> ReadingSubmission {
        guard o.resourceType == "Observation" else {
            throw .badRequest("the resource must be an Observation", at: "Observation.resourceType")
        }
        guard let status = o.status else { throw .unprocessable("is required", at: "Observation.status", code: "required") }
        guard acceptedStatuses.contains(status) else {
            throw .unprocessable("must be final, amended, corrected or preliminary", at: "Observation.status", code: "value")
        }
        let vitalSigns = (o.category ?? []).contains {
            $0.contains(system: FHIRCodes.observationCategory, code: FHIRCodes.vitalSigns, allowingMissingSystem: true)
        }
        guard vitalSigns else { throw .unprocessable("must include the vital-signs category", at: "Observation.category") }
        let kind = try kind(of: o.code)
        var s = ReadingSubmission(
            gatewayReadingID: "", subject: try subject(of: o), deviceSerial: deviceSerial(of: o),
            measuredAt: try effectiveTime(of: o), kind: kind, unit: "")
        s.measuredBefore = dayEnd(of: o)
        try readValues(of: o, into: &s)
        s.gatewayReadingID = try readingID(of: o, submission: s, keyTime: keyTime(of: o, measuredAt: s.measuredAt))
        return s
    }

    /// The measurement named by the LOINC codings of `code`; other code systems are ignored.
    static func kind(of code: FHIRCodeableConcept?) throws(FHIRMappingError) -> MeasurementKind {
        let kinds = Set((code?.codes(in: FHIRCodes.loinc) ?? []).compactMap(FHIRCodes.kind(forLOINC:)))
        guard let kind = kinds.first else {
            throw .unprocessable(
                "must hold a LOINC code for blood pressure, SpO2, body weight, heart rate or body temperature",
                at: "Observation.code", code: "code-invalid")
        }
        guard kinds.count == 1 else { throw .unprocessable("holds LOINC codes of different measurements", at: "Observation.code") }
        return kind
    }

    /// effectiveDateTime, effectiveInstant, or effectivePeriod (start, else end). A
    /// date-only value means the start of that day in Europe/Oslo (`FHIRDateTime.parse`).
    static func effectiveTime(of o: FHIRObservation) throws(FHIRMappingError) -> Date {
        let (text, expression) = try effectiveText(of: o)
        return try date(text, at: expression)
    }

    private static func effectiveText(of o: FHIRObservation) throws(FHIRMappingError) -> (String, String) {
        if let text = o.effectiveDateTime { return (text, "Observation.effectiveDateTime") }
        if let text = o.effectiveInstant { return (text, "Observation.effectiveInstant") }
        if let period = o.effectivePeriod {
            if let start = period.start { return (start, "Observation.effectivePeriod.start") }
            if let end = period.end { return (end, "Observation.effectivePeriod.end") }
            throw .unprocessable("needs a start or an end", at: "Observation.effectivePeriod", code: "required")
        }
        throw .unprocessable("is required (effectiveDateTime or effectivePeriod)", at: "Observation.effective[x]", code: "required")
    }

    /// The time a content key names: the measured time, except for a date-only
    /// value, whose key keeps 12:00 Europe/Oslo (what such a value meant before it
    /// meant the start of the day), so that a resend is still recognised.
    static func keyTime(of o: FHIRObservation, measuredAt: Date) -> Date {
        effectiveDate(of: o).map { OsloTime.noon(year: $0.year, month: $0.month, day: $0.day) } ?? measuredAt
    }

    /// The end of the day a date-only effective time names (nil for a time).
    static func dayEnd(of o: FHIRObservation) -> Date? {
        effectiveDate(of: o).map { OsloTime.startOfNextDay(year: $0.year, month: $0.month, day: $0.day) }
    }

    /// The effective time's day when it is only a date (nil for a time).
    private static func effectiveDate(of o: FHIRObservation) -> (year: Int, month: Int, day: Int)? {
        guard let (text, _) = try? effectiveText(of: o), let v = try? FHIRDateTime.Value(text),
            let month = v.month, let day = v.day, v.time == nil
        else { return nil }
        return (v.year, month, day)
    }

    private static func date(_ text: String, at expression: String) throws(FHIRMappingError) -> Date {
        do {
            return try FHIRDateTime.parse(text)
        } catch .tooCoarse {
            throw .unprocessable("must give at least a full date (YYYY-MM-DD)", at: expression, code: "value")
        } catch .missingOffset {
            throw .unprocessable("a time must carry a zone offset (Z or ±hh:mm)", at: expression, code: "value")
        } catch {
            throw .unprocessable("is not a valid FHIR dateTime", at: expression, code: "value")
        }
    }

    /// The first identifier as `system|value` (or `value`), else a content key so a
    /// resend of the same reading is still recognised. The key never holds a national id.
    static func readingID(of o: FHIRObservation, submission s: ReadingSubmission, keyTime: Date) throws(FHIRMappingError) -> String {
        if let identifier = (o.identifier ?? []).first(where: { !($0.value ?? "").isEmpty }), let value = identifier.value {
            let id = identifier.system.map { $0.isEmpty ? value : "\($0)|\(value)" } ?? value
            guard id.count <= 512 else { throw .unprocessable("is longer than 512 characters", at: "Observation.identifier") }
            guard TextRules.isSingleLine(id) else { throw .unprocessable("holds a control character", at: "Observation.identifier") }
            return id
        }
        let subject =
            switch s.subject {
            case .patient(let id): "patient/" + id.lowercasedText
            case .device(let serial): "device/" + serial
            case .nationalID: "national-id/" + (s.deviceSerial ?? "")
            }
        let values = [s.value, s.systolic, s.diastolic, s.pulse].map { $0.map { "\($0)" } ?? "-" }.joined(separator: "/")
        return ["content:" + s.kind.rawValue, subject, FHIRDateTime.format(keyTime), s.unit, values]
            .joined(separator: "|")
    }
}
