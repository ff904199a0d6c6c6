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
    /// An Observation that is no reading (see `map`) is refused here: nothing is created.
    public static func submission(from o: FHIRObservation) throws(FHIRMappingError) -> ReadingSubmission {
        switch try map(o) {
        case .reading(let s): return s
        case .notAReading(let why): throw why.error
        }
    }

    /// The reading `o` describes, or why it is none, or the first reason it is
    /// wrong. `links` resolves references to entries of the Bundle `o` came in.
    public static func map(_ o: FHIRObservation, links: FHIRBundleLinks = .none) throws(FHIRMappingError) -> FHIRObservationMapping {
        guard o.resourceType == "Observation" else {
            throw .badRequest("the resource must be an Observation", at: "Observation.resourceType")
        }
        guard let status = o.status else { throw .unprocessable("is required", at: "Observation.status", code: "required") }
        guard acceptedStatuses.contains(status) else {
            throw .unprocessable("must be final, amended, corrected or preliminary", at: "Observation.status", code: "value")
        }
        guard let code = o.code, !(code.coding ?? []).isEmpty else {
            throw .unprocessable("is required (a coding)", at: "Observation.code", code: "required")
        }
        if isCoincidentTime(o) {
            return .notAReading(
                FHIRNotAReading(
                    "a coincident timestamp: its clock offset is kept with the readings that refer to it", at: "Observation.code"))
        }
        guard let kind = try kind(of: code) else {
            return .notAReading(
                FHIRNotAReading(
                    "Varde monitors blood pressure, SpO2, body weight, pulse and body temperature "
                        + "(LOINC or IEEE 11073 MDC codes); this kind is acknowledged and not kept",
                    at: "Observation.code", code: "not-supported"))
        }
        let category = (o.category ?? []).contains {
            $0.contains(system: FHIRCodes.observationCategory, code: FHIRCodes.vitalSigns, allowingMissingSystem: true)
                || $0.contains(system: PHDCodes.phdCategorySystem, code: "phd")
        }
        guard category else { throw .unprocessable("must include the vital-signs (or PHD) category", at: "Observation.category") }
        if let why = deviceFlag(o, kind: kind) { return .notAReading(why) }
        var s = ReadingSubmission(
            gatewayReadingID: "", subject: try subject(of: o, links: links), deviceSerial: try deviceSerial(of: o, links: links),
            measuredAt: try effectiveTime(of: o), kind: kind, unit: "")
        s.measuredBefore = dayEnd(of: o)
        if case .coincidentTime(let offset)? = links.target(coincidentTimeReference(of: o)) {
            s.clockOffset = offset
            if offset == nil, case .device(_, noTimeSync: true)? = links.target(o.device) {
                return .notAReading(
                    FHIRNotAReading(
                        "the device's clock was unknown at upload (a time fault) and is not synchronised, "
                            + "so its measured time cannot be trusted", at: "Observation.effective", code: "business-rule"))
            }
        }
        try readValues(of: o, into: &s)
        s.gatewayReadingID = try readingID(of: o, submission: s, keyTime: keyTime(of: o, measuredAt: s.measuredAt))
        return .reading(s)
    }

    /// The measurement named by the LOINC and MDC codings of `code` (other code
    /// systems are ignored); nil when none is one Varde monitors.
    static func kind(of code: FHIRCodeableConcept?) throws(FHIRMappingError) -> MeasurementKind? {
        let loinc = (code?.codes(in: FHIRCodes.loinc) ?? []).compactMap(FHIRCodes.kind(forLOINC:))
        let mdc = (code?.codes(in: PHDCodes.mdc) ?? []).compactMap(PHDCodes.kind(forMDC:))
        let kinds = Set(loinc + mdc)
        guard kinds.count <= 1 else { throw .unprocessable("holds codes of different measurements", at: "Observation.code") }
        return kinds.first
    }

    /// A PHD coincident timestamp (MDC 67975, 68225 or 67983).
    public static func isCoincidentTime(_ o: FHIRObservation) -> Bool {
        !PHDCodes.coincidentTimeCodes.isDisjoint(with: o.code?.codes(in: PHDCodes.mdc) ?? [])
    }

    /// Seconds the device's clock (`valueDateTime`) was ahead of the gateway's
    /// (`effectiveDateTime`) in a coincident timestamp; nil when either is missing.
    public static func clockOffset(of o: FHIRObservation) -> Double? {
        guard let device = o.valueDateTime, let gateway = o.effectiveDateTime,
            let d = try? FHIRDateTime.parse(device), let g = try? FHIRDateTime.parse(gateway)
        else { return nil }
        return (d.timeIntervalSince(g) * 1000).rounded() / 1000
    }

    static func coincidentTimeReference(of o: FHIRObservation) -> FHIRReference? {
        (o.extensions ?? []).first { $0.url == PHDCodes.coincidentTimeStampExtension }?.valueReference
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
