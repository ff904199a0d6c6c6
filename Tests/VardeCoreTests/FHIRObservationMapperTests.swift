import Foundation
import Testing

@testable import VardeCore

/// The official HL7 R4 example Observations (Tests/Fixtures/fhir-r4, a copy of
/// the project's shared/fixtures/fhir-r4 kept in the repository so that a clean
/// clone tests against them).
enum FHIRFixtures {
    static let patient = UUID(uuidString: "0B5E7F0C-3C2A-4E59-9A57-1D1F6C6E2A10")!

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/fhir-r4").standardizedFileURL

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    /// The fixture with `Patient/example` replaced by an enrolled patient's UUID, as SOURCE.md says.
    static func observation(_ name: String) throws -> FHIRObservation {
        var o = try FHIRJSON.decode(FHIRObservation.self, from: data(name), root: "Observation")
        #expect(o.subject?.reference == "Patient/example")
        o.subject = FHIRReference(reference: "Patient/\(patient.uuidString)")
        return o
    }

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
}

private func mappingError(_ o: FHIRObservation) -> FHIRMappingError? {
    do {
        _ = try FHIRObservationMapper.submission(from: o)
        return nil
    } catch {
        return error
    }
}

@Suite struct FHIRObservationMapperTests {
    @Test func bloodPressureFixture() throws {
        let s = try FHIRObservationMapper.submission(from: FHIRFixtures.observation("observation-example-bloodpressure.json"))
        var expected = ReadingSubmission(
            gatewayReadingID: "urn:ietf:rfc:3986|urn:uuid:187e0c12-8dd2-67e2-99b2-bf273c878281",
            subject: .patient(FHIRFixtures.patient), measuredAt: FHIRFixtures.date("2012-09-16T22:00:00Z"),
            kind: .bloodPressure, unit: "mm[Hg]", systolic: 107, diastolic: 60)
        // "2012-09-17": the whole day in Oslo, known only by its date.
        expected.measuredBefore = FHIRFixtures.date("2012-09-17T22:00:00Z")
        #expect(s == expected)
        let value = try ReadingValidator.validate(s, receivedAt: Date(), maxFutureSkew: 300)
        #expect(value == .bloodPressure(systolic: 107, diastolic: 60, pulse: nil))
    }

    @Test func oxygenSaturationFixtureWithSeveralCodesAndAnOffset() throws {
        let s = try FHIRObservationMapper.submission(from: FHIRFixtures.observation("observation-example-satO2.json"))
        #expect(s.kind == .spo2)
        #expect(s.unit == "%" && s.value == 95)
        #expect(s.measuredAt == FHIRFixtures.date("2014-12-05T08:30:10Z"))
        #expect(s.gatewayReadingID == "http://goodcare.org/observation/id|o1223435-10")
        #expect(s.deviceSerial == nil)  // DeviceMetric/example is not a Device
        #expect(try ReadingValidator.validate(s, receivedAt: Date(), maxFutureSkew: 0) == .spo2(percent: 95))
    }

    @Test func bodyWeightFixtureInPounds() throws {
        let s = try FHIRObservationMapper.submission(from: FHIRFixtures.observation("observation-example.json"))
        #expect(s.kind == .weight && s.unit == "[lb_av]" && s.value == 185)
        // Date only: the start of the day in Oslo, which was on summer time (+02:00) from 2016-03-27.
        #expect(s.measuredAt == FHIRFixtures.date("2016-03-27T22:00:00Z"))
        #expect(try ReadingValidator.validate(s, receivedAt: Date(), maxFutureSkew: 0) == .weight(kg: 83.915))
    }

    @Test func heartRateFixture() throws {
        let s = try FHIRObservationMapper.submission(from: FHIRFixtures.observation("observation-example-heart-rate.json"))
        #expect(s.kind == .pulse && s.unit == "/min" && s.value == 44)
        #expect(s.measuredAt == FHIRFixtures.date("1999-07-01T22:00:00Z"))
        #expect(try ReadingValidator.validate(s, receivedAt: Date(), maxFutureSkew: 0) == .pulse(perMinute: 44))
    }

    @Test func bodyTemperatureFixtureWithoutIdentifierGetsAStableContentKey() throws {
        let o = try FHIRFixtures.observation("observation-example-body-temperature.json")
        let s = try FHIRObservationMapper.submission(from: o)
        #expect(s.kind == .temperature && s.unit == "Cel" && s.value == 36.5)
        // A date-only time keeps 12:00 Oslo in its key, as it had when it meant noon: resends are still recognised.
        let key = "content:temperature|patient/0b5e7f0c-3c2a-4e59-9a57-1d1f6c6e2a10|1999-07-02T10:00:00Z|Cel|36.5/-/-/-"
        #expect(s.gatewayReadingID == key)
        var warmer = o
        warmer.valueQuantity?.value = 36.6
        #expect(try FHIRObservationMapper.submission(from: warmer).gatewayReadingID != key)
        #expect(try ReadingValidator.validate(s, receivedAt: Date(), maxFutureSkew: 0) == .temperature(celsius: 36.5))
    }

    @Test(arguments: [
        ("2024-01-15", "2024-01-14T23:00:00Z", "2024-01-15T11:00:00Z"),
        ("2024-03-31", "2024-03-30T23:00:00Z", "2024-03-31T10:00:00Z"),  // the day summer time starts
        ("2024-10-27", "2024-10-26T22:00:00Z", "2024-10-27T11:00:00Z"),  // the day it ends
        ("2024-07-01", "2024-06-30T22:00:00Z", "2024-07-01T10:00:00Z"),
    ])
    func dateOnlyIsTheStartOfTheDayInOslo(_ date: String, _ start: String, _ keyNoon: String) throws {
        var o = try FHIRFixtures.observation("observation-example-body-temperature.json")
        o.effectiveDateTime = date
        let s = try FHIRObservationMapper.submission(from: o)
        #expect(s.measuredAt == FHIRFixtures.date(start))
        #expect(s.gatewayReadingID.contains("|\(keyNoon)|"))
        o.effectiveDateTime = nil
        o.effectivePeriod = FHIRPeriod(start: date, end: date)
        #expect(try FHIRObservationMapper.submission(from: o).measuredAt == FHIRFixtures.date(start))
    }

    @Test func todaysDateIsNeverInTheFuture() throws {
        var oslo = Calendar(identifier: .gregorian)
        oslo.timeZone = try #require(TimeZone(identifier: "Europe/Oslo"))
        var o = try FHIRFixtures.observation("observation-example-heart-rate.json")
        for day in ["2026-03-29", "2026-10-25", "2026-11-01"] {
            o.effectiveDateTime = day
            let s = try FHIRObservationMapper.submission(from: o)
            // received a second after local midnight, with no skew allowed
            let received = s.measuredAt.addingTimeInterval(1)
            #expect(oslo.component(.hour, from: received) == 0)
            #expect(try ReadingValidator.validate(s, receivedAt: received, maxFutureSkew: 0) == .pulse(perMinute: 44))
            let c = oslo.dateComponents([.year, .month, .day, .hour, .minute], from: s.measuredAt)
            #expect(String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!) == day && c.hour == 0 && c.minute == 0)
        }
    }

    @Test(arguments: [
        (FHIRPeriod(start: "2024-05-01T08:00:00+02:00", end: "2024-05-01T08:05:00+02:00"), "2024-05-01T06:00:00Z"),
        (FHIRPeriod(end: "2024-05-01T08:05:00.250Z"), "2024-05-01T08:05:00.25Z"),
    ])
    func effectivePeriodUsesStartElseEnd(_ period: FHIRPeriod, _ expected: String) throws {
        var o = try FHIRFixtures.observation("observation-example-heart-rate.json")
        o.effectiveDateTime = nil
        o.effectivePeriod = period
        let measuredAt = try FHIRObservationMapper.submission(from: o).measuredAt
        #expect(FHIRDateTime.format(measuredAt) == expected)
    }

    @Test func bloodPressureInKilopascalWithPulseComponent() throws {
        var o = try FHIRFixtures.observation("observation-example-bloodpressure.json")
        o.component![0].valueQuantity = FHIRQuantity(value: 16, system: "http://unitsofmeasure.org", code: "kPa")
        o.component![1].valueQuantity = FHIRQuantity(value: 10.7, code: "kPa")  // system may be left out
        o.component!.append(
            FHIRObservation.Component(
                code: FHIRCodes.loincConcept("8867-4", "Heart rate"),
                valueQuantity: FHIRQuantity(value: 72, system: "http://unitsofmeasure.org", code: "/min")))
        let s = try FHIRObservationMapper.submission(from: o)
        #expect(s.unit == "kPa" && s.systolic == 16 && s.diastolic == 10.7 && s.pulse == 72)
        #expect(
            try ReadingValidator.validate(s, receivedAt: Date(), maxFutureSkew: 0)
                == .bloodPressure(systolic: 120, diastolic: 80.3, pulse: 72))
    }

    @Test func subjectByNationalIdentifierNeverLeaksIntoTheReadingID() throws {
        var o = try FHIRFixtures.observation("observation-example-body-temperature.json")
        o.subject = FHIRReference(identifier: FHIRIdentifier(system: "urn:oid:2.16.578.1.12.4.1.4.1", value: "31129956715"))
        let s = try FHIRObservationMapper.submission(from: o)
        #expect(s.subject == .nationalID("31129956715"))
        #expect(!s.gatewayReadingID.contains("31129956715"))
        o.subject?.identifier = FHIRIdentifier(system: "urn:oid:2.16.578.1.12.4.1.4.2", value: "43022014103")
        #expect(try FHIRObservationMapper.submission(from: o).subject == .nationalID("43022014103"))
    }

    @Test func deviceAndGatewayAreRecordedAndADeviceCanStandInForTheSubject() throws {
        var o = try FHIRFixtures.observation("observation-example-satO2.json")
        o.device = FHIRReference(reference: "Device/OX-2231.a")
        o.extensions = [
            FHIRExtension(
                url: "http://hl7.org/fhir/StructureDefinition/observation-gatewayDevice",
                valueReference: FHIRReference(reference: "Device/hub-77"))
        ]
        #expect(try FHIRObservationMapper.submission(from: o).deviceSerial == "OX-2231.a")
        #expect(FHIRObservationMapper.gatewayDevice(of: o) == "hub-77")
        o.subject = nil
        #expect(try FHIRObservationMapper.submission(from: o).subject == .device(serial: "OX-2231.a"))
        o.device = FHIRReference(identifier: FHIRIdentifier(system: "urn:ieee:11073", value: "00-09-1F-FE-FF-80-4D-2B"))
        #expect(try FHIRObservationMapper.submission(from: o).subject == .device(serial: "00-09-1F-FE-FF-80-4D-2B"))
    }

    @Test func identifierWithoutSystemIsTheValueAlone() throws {
        var o = try FHIRFixtures.observation("observation-example-heart-rate.json")
        o.identifier = [FHIRIdentifier(system: "urn:x", value: nil), FHIRIdentifier(value: "reading-42"), FHIRIdentifier(value: "later")]
        #expect(try FHIRObservationMapper.submission(from: o).gatewayReadingID == "reading-42")
    }

    static let rejections: [(String, @Sendable (inout FHIRObservation) -> Void, Int, String)] = [
        ("wrong status", { $0.status = "registered" }, 422, "Observation.status"),
        ("void status", { $0.status = "entered-in-error" }, 422, "Observation.status"),
        ("no status", { $0.status = nil }, 422, "Observation.status"),
        ("no category", { $0.category = nil }, 422, "Observation.category"),
        (
            "other category",
            {
                $0.category = [
                    FHIRCodeableConcept(coding: [
                        FHIRCoding(
                            system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory")
                    ])
                ]
            }, 422, "Observation.category"
        ),
        (
            "unknown code", { $0.code = FHIRCodeableConcept(coding: [FHIRCoding(system: "http://loinc.org", code: "2339-0")]) }, 422,
            "Observation.code"
        ),
        (
            "only SNOMED", { $0.code = FHIRCodeableConcept(coding: [FHIRCoding(system: "http://snomed.info/sct", code: "364075005")]) },
            422, "Observation.code"
        ),
        ("two kinds", { $0.code?.coding?.append(FHIRCoding(system: "http://loinc.org", code: "29463-7")) }, 422, "Observation.code"),
        ("non-UCUM system", { $0.valueQuantity?.system = "http://snomed.info/sct" }, 422, "Observation.valueQuantity.system"),
        ("no unit code", { $0.valueQuantity?.code = nil }, 422, "Observation.valueQuantity.code"),
        ("no value", { $0.valueQuantity?.value = nil }, 422, "Observation.valueQuantity.value"),
        ("comparator", { $0.valueQuantity?.comparator = ">" }, 422, "Observation.valueQuantity.comparator"),
        ("no valueQuantity", { $0.valueQuantity = nil }, 422, "Observation.value[x]"),
        ("no effective", { $0.effectiveDateTime = nil }, 422, "Observation.effective[x]"),
        ("month only", { $0.effectiveDateTime = "1999-07" }, 422, "Observation.effectiveDateTime"),
        ("year only", { $0.effectiveDateTime = "1999" }, 422, "Observation.effectiveDateTime"),
        ("no offset", { $0.effectiveDateTime = "1999-07-02T10:00:00" }, 422, "Observation.effectiveDateTime"),
        ("no such day", { $0.effectiveDateTime = "1999-02-29" }, 422, "Observation.effectiveDateTime"),
        ("garbage time", { $0.effectiveDateTime = "yesterday" }, 422, "Observation.effectiveDateTime"),
        (
            "empty period",
            {
                $0.effectiveDateTime = nil
                $0.effectivePeriod = FHIRPeriod()
            }, 422, "Observation.effectivePeriod"
        ),
        (
            "coarse period",
            {
                $0.effectiveDateTime = nil
                $0.effectivePeriod = FHIRPeriod(start: "2024-05")
            }, 422, "Observation.effectivePeriod.start"
        ),
        ("Patient/example", { $0.subject = FHIRReference(reference: "Patient/example") }, 422, "Observation.subject.reference"),
        ("Group subject", { $0.subject = FHIRReference(reference: "Group/\(UUID().uuidString)") }, 422, "Observation.subject.reference"),
        ("empty subject", { $0.subject = FHIRReference(display: "Ola") }, 422, "Observation.subject"),
        (
            "other id system", { $0.subject = FHIRReference(identifier: FHIRIdentifier(system: "urn:mrn", value: "1")) }, 422,
            "Observation.subject.identifier.system"
        ),
        (
            "bad fnr",
            {
                $0.subject = FHIRReference(
                    identifier: FHIRIdentifier(
                        system: "urn:oid:2.16.578.1.12.4.1.4.1", value: "31129956716"))
            }, 422, "Observation.subject.identifier.value"
        ),
        ("no subject, no device", { $0.subject = nil }, 422, "Observation.subject"),
        ("Patient resource", { $0.resourceType = "Patient" }, 400, "Observation.resourceType"),
        ("long identifier", { $0.identifier = [FHIRIdentifier(value: String(repeating: "x", count: 513))] }, 422, "Observation.identifier"),
    ]

    @Test(arguments: rejections.indices)
    func rejectsWithTheRightExpression(_ index: Int) throws {
        let (name, mutate, status, expression) = Self.rejections[index]
        var o = try FHIRFixtures.observation("observation-example-heart-rate.json")
        mutate(&o)
        let error = try #require(mappingError(o), "\(name) was accepted")
        #expect(error.expression == expression, "\(name)")
        #expect(error.status == status, "\(name)")
        #expect(!error.message.contains("31129956716"))
    }

    static let componentRejections: [(@Sendable (inout FHIRObservation) -> Void, String)] = [
        ({ $0.component!.remove(at: 1) }, "Observation.component"),
        ({ $0.component!.remove(at: 0) }, "Observation.component"),
        ({ $0.component![1].valueQuantity?.code = "kPa" }, "Observation.component[1].valueQuantity.code"),
        ({ $0.component![0].valueQuantity = nil }, "Observation.component[0].value[x]"),
        ({ $0.component![1].valueQuantity?.system = "urn:other" }, "Observation.component[1].valueQuantity.system"),
        ({ $0.component!.append($0.component![0]) }, "Observation.component[2].code"),
        (
            {
                $0.component!.append(
                    FHIRObservation.Component(
                        code: FHIRCodes.loincConcept("8867-4", "Heart rate"),
                        valueQuantity: FHIRQuantity(value: 1.2, code: "Hz")))
            }, "Observation.component[2].valueQuantity.code"
        ),
    ]

    @Test(arguments: componentRejections.indices)
    func rejectsBadBloodPressureComponents(_ index: Int) throws {
        let (mutate, expression) = Self.componentRejections[index]
        var o = try FHIRFixtures.observation("observation-example-bloodpressure.json")
        mutate(&o)
        #expect(mappingError(o)?.expression == expression)
    }

    @Test func domainErrorsBecomeFHIRPathExpressions() {
        let implausible = FHIRMappingError(.implausible(field: "/diastolic", value: 210, limit: "20–200 mm[Hg]"), kind: .bloodPressure)
        #expect(implausible.status == 422 && implausible.issueCode == "value")
        #expect(implausible.expression == "Observation.component.where(code.coding.code='8462-4').valueQuantity.value")
        let unit = FHIRMappingError(.unknownUnit(field: "/unit", unit: "mmHg"), kind: .weight)
        #expect(unit.expression == "Observation.valueQuantity.code" && unit.issueCode == "code-invalid")
        #expect(FHIRMappingError(.invalid(field: "/measuredAt", reason: "future"), kind: .pulse).expression == "Observation.effective")
        #expect(FHIRMappingError(.notFound("patient"), kind: .pulse).status == 404)
        #expect(unit.inBundleEntry(3).expression == "Bundle.entry[3].resource.valueQuantity.code")
    }

    @Test(arguments: [
        ("2024-05-01T08:05:00.123456+02:00", "2024-05-01T06:05:00.123456Z"),
        ("2024-02-29T23:30:00-01:00", "2024-03-01T00:30:00Z"),
        ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.5Z"),
        ("2000-01-01T00:00:00.000Z", "2000-01-01T00:00:00Z"),
    ])
    func dateTimesParseAndFormatAsUTC(_ text: String, _ formatted: String) throws {
        #expect(FHIRDateTime.format(try FHIRDateTime.parse(text)) == formatted)
    }

    @Test(arguments: [
        ("2024", FHIRDateTime.Failure.tooCoarse), ("2024-05", .tooCoarse), ("2024-05-01T08:05:00", .missingOffset),
        ("2024-05-01T08:05", .malformed), ("2024-13-01", .malformed), ("2024-05-01T24:00:00Z", .malformed),
        ("2024-05-01T08:05:00+2:00", .malformed), ("2024-05-01 08:05:00Z", .malformed), ("2024-05-01T08:05:00.Z", .malformed),
    ])
    func dateTimesThatAreRefused(_ text: String, _ failure: FHIRDateTime.Failure) {
        #expect(throws: failure) { try FHIRDateTime.parse(text) }
    }

    /// The fallback used when the system has no Europe/Oslo zone must agree with the zone
    /// at noon around every transition from 1996 (EU rules) to 2040, and mid-season.
    @Test func summerTimeFallbackMatchesTheOsloZone() throws {
        let oslo = try #require(TimeZone(identifier: "Europe/Oslo"))
        var mismatches: [String] = []
        for year in 1996...2040 {
            for (month, days) in [(1, 15...15), (3, 20...31), (4, 1...3), (7, 1...1), (10, 20...31), (11, 1...3)] {
                for day in days {
                    let text = String(format: "%04d-%02d-%02d", year, month, day)
                    let elevenUTC = FHIRFixtures.date(text + "T11:00:00Z")
                    if OsloTime.euSummerTime(year: year, month: month, day: day) != (oslo.secondsFromGMT(for: elevenUTC) == 7200) {
                        mismatches.append(text)
                    }
                }
            }
        }
        #expect(mismatches.isEmpty)
    }
}
