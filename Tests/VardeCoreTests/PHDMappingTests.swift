import Foundation
import Testing

@testable import VardeCore

/// The PHD IG's Bundle read (pure): entries, claims, references, MDC codes,
/// device flags and the coincident timestamp.
@Suite struct PHDMappingTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/phd").standardizedFileURL
    static let patient = UUID(uuidString: "7A0C8C8E-0000-4000-8000-000000000001")!

    static func bundle(_ name: String = "bundle-example-1") throws -> FHIRBundle {
        try FHIRJSON.decode(FHIRBundle.self, from: Data(contentsOf: directory.appendingPathComponent("\(name).json")), root: "Bundle")
    }

    static func resolved(_ plan: FHIRBundlePlan) -> FHIRBundlePlan.Resolution {
        var resolution = FHIRBundlePlan.Resolution()
        resolution.patients[0] = patient
        resolution.devices[1] = ("4C-4E-49-12-34-56-FF-FF", false)
        resolution.devices[2] = ("00-1C-05-04-00-00-78-25", true)
        return resolution
    }

    @Test func theExampleBundlesEntriesAreClaimsAndObservations() throws {
        let plan = try FHIRBundleReader.plan(try Self.bundle())
        #expect(plan.mode == .transaction)
        guard case .patient(let p) = plan.entries[0], case .device(let phg) = plan.entries[1], case .device(let phd) = plan.entries[2]
        else {
            Issue.record("entries 0–2 are not Patient, Device, Device")
            return
        }
        // ifNoneExist and the resource name it differently (the IG's example has a typo in one): both are tried.
        #expect(
            Set(p.identifiers) == [
                RegisteredIdentifier(system: "urn:oid:2.9991.2.3.4.5.6.7.8.10", value: "sisansarahId"),
                RegisteredIdentifier(system: "urn:oid:2.999.1.2.3.4.5.6.7.8.10", value: "sisansarahId"),
            ])
        #expect(p.nationalIDs.isEmpty)
        #expect(phg.identifiers == [RegisteredIdentifier(system: DeviceIdentity.eui64System, value: "4C-4E-49-12-34-56-FF-FF")])
        #expect(phg.description.timeSync == "532226")
        #expect(phd.serialNumber == "0400007825")
        #expect(phd.identifiers.map(\.system) == [DeviceIdentity.eui64System, DeviceIdentity.bluetoothSystem])
        #expect(
            phd.description
                == DeviceDescription(
                    manufacturer: "Nonin Medical, Inc.", model: "Model 3150", serialNumber: "0400007825", firmware: "0.9C",
                    timeSync: DeviceDescription.noTimeSync, identifiers: phd.identifiers))
    }

    @Test func urnReferencesResolveToTheResolvedEntriesAndTheCoincidentTimestampGivesTheOffset() throws {
        let plan = try FHIRBundleReader.plan(try Self.bundle())
        let resolution = Self.resolved(plan)
        guard case .success(.notAReading(let cts)) = FHIRBundleReader.observation(at: 3, of: plan, resolution: resolution) else {
            Issue.record("the coincident timestamp is not acknowledged")
            return
        }
        #expect(cts.expression == "Observation.code")
        guard case .success(.reading(let spo2)) = FHIRBundleReader.observation(at: 4, of: plan, resolution: resolution),
            case .success(.reading(let pulse)) = FHIRBundleReader.observation(at: 5, of: plan, resolution: resolution)
        else {
            Issue.record("the measurements are not readings")
            return
        }
        #expect(spo2.subject == .patient(Self.patient) && spo2.deviceSerial == "00-1C-05-04-00-00-78-25")
        #expect(spo2.kind == .spo2 && spo2.value == 98 && spo2.unit == "%")
        #expect(pulse.kind == .pulse && pulse.value == 47 && pulse.unit == "/min")
        #expect(spo2.clockOffset == 1.064)
        // Kept on the gateway's timeline, as the IG has the gateway place it.
        #expect(spo2.measuredAt == (try FHIRDateTime.parse("2019-09-20T12:40:16.936-04:00")))
        // Without an identifier, the content key names the resolved patient, not the Bundle's urn:uuid.
        #expect(spo2.gatewayReadingID.contains("patient/" + Self.patient.lowercasedText))
        #expect(!spo2.gatewayReadingID.contains("urn:uuid"))
        // An unresolved Patient entry makes its readings fail, naming the reference.
        var unresolved = resolution
        unresolved.patients = [:]
        guard case .failure(let error) = FHIRBundleReader.observation(at: 4, of: plan, resolution: unresolved) else {
            Issue.record("a reading of an unresolved patient was made")
            return
        }
        #expect(error.expression == "Bundle.entry[4].resource.subject.reference")
    }

    static func observation(_ code: String, _ value: Double, _ unit: String, components: [(String, Double)] = []) -> FHIRObservation {
        FHIRObservation(
            status: "final", category: [FHIRCodeableConcept(coding: [FHIRCoding(system: PHDCodes.phdCategorySystem, code: "phd")])],
            code: FHIRCodeableConcept(coding: [FHIRCoding(system: PHDCodes.mdc, code: code)]),
            subject: FHIRReference(reference: "Patient/\(patient.lowercasedText)"), effectiveDateTime: "2026-11-02T08:00:00+01:00",
            valueQuantity: components.isEmpty ? FHIRQuantity(value: value, system: FHIRCodes.ucum, code: unit) : nil,
            component: components.isEmpty
                ? nil
                : components.map {
                    FHIRObservation.Component(
                        code: FHIRCodeableConcept(coding: [FHIRCoding(system: PHDCodes.mdc, code: $0.0)]),
                        valueQuantity: FHIRQuantity(value: $0.1, system: FHIRCodes.ucum, code: unit))
                })
    }

    @Test(arguments: [
        ("150456", 96.0, "%", MeasurementKind.spo2), ("149530", 61, "/min", .pulse), ("149546", 72, "/min", .pulse),
        ("188736", 81.4, "kg", .weight), ("150364", 37.2, "Cel", .temperature),
    ])
    func mdcCodesAloneMakeTheSameReadings(_ code: String, _ value: Double, _ unit: String, _ kind: MeasurementKind) throws {
        let s = try FHIRObservationMapper.submission(from: Self.observation(code, value, unit))
        #expect(s.kind == kind && s.value == value && s.unit == unit)
    }

    @Test func mdcBloodPressureCompound() throws {
        let s = try FHIRObservationMapper.submission(
            from: Self.observation("150020", 0, "mm[Hg]", components: [("150021", 128), ("150022", 84), ("150023", 99)]))
        #expect(s.kind == .bloodPressure && s.systolic == 128 && s.diastolic == 84 && s.pulse == nil)
        var mixed = Self.observation("150456", 96, "%")
        mixed.code?.coding?.append(FHIRCoding(system: FHIRCodes.loinc, code: FHIRCodes.heartRate))
        #expect(throws: FHIRMappingError.unprocessable("holds codes of different measurements", at: "Observation.code")) {
            try FHIRObservationMapper.map(mixed)
        }
    }

    @Test func aTimeFaultOnADeviceWithoutTimeSyncIsNoReading() throws {
        let bundle = try Self.bundle()
        var entries = bundle.entry!
        guard case .observation(var cts) = entries[3].resource else { throw CancellationError() }
        cts.valueDateTime = nil
        cts.dataAbsentReason = FHIRCodeableConcept(coding: [FHIRCoding(code: "unknown")])
        entries[3].resource = .observation(cts)
        var faulty = bundle
        faulty.entry = entries
        let plan = try FHIRBundleReader.plan(faulty)
        guard case .success(.notAReading(let why)) = FHIRBundleReader.observation(at: 4, of: plan, resolution: Self.resolved(plan)) else {
            Issue.record("a reading with an untrustworthy time was made")
            return
        }
        #expect(why.issueCode == "business-rule" && why.expression == "Observation.effective")
        // The same fault on a synchronised device: its own time stands.
        var synced = Self.resolved(plan)
        synced.devices[2] = ("00-1C-05-04-00-00-78-25", false)
        guard case .success(.reading(let s)) = FHIRBundleReader.observation(at: 4, of: plan, resolution: synced) else {
            Issue.record("the reading of a synchronised device was refused")
            return
        }
        #expect(s.clockOffset == nil)
    }

    @Test func relativeReferencesResolveAgainstAbsoluteFullUrlsAndOthersAreLeftToTheServer() throws {
        let plan = FHIRBundlePlan(
            mode: .transaction,
            fullUrls: ["https://phg.example/fhir/Patient/p-1", "https://phg.example/fhir/Observation/o-1", "urn:uuid:x"],
            entries: [.patient(FHIRPatientClaim(identifiers: [])), .observation(FHIRObservation()), .observation(FHIRObservation())])
        #expect(FHIRBundleReader.entryIndex(of: "Patient/p-1", from: 1, in: plan) == 0)
        #expect(FHIRBundleReader.entryIndex(of: "Patient/p-2", from: 1, in: plan) == nil)
        #expect(FHIRBundleReader.entryIndex(of: "Patient/p-1", from: 2, in: plan) == nil, "a urn:uuid entry has no base")
        #expect(FHIRBundleReader.entryIndex(of: "urn:uuid:x", from: 0, in: plan) == 2)
    }

    @Test(
        arguments: [
            ("identifier=urn%3Aoid%3A2.999%7Cabc", [RegisteredIdentifier(system: "urn:oid:2.999", value: "abc")], nil),
            (
                "identifier=a|1&identifier=b|2",
                [RegisteredIdentifier(system: "a", value: "1"), RegisteredIdentifier(system: "b", value: "2")], nil
            ),
            ("name=Ola", [], "not-supported"),
            ("identifier=abc", [], "value"),
        ] as [(String, [RegisteredIdentifier], String?)])
    func ifNoneExistIsReadAsIdentifiers(_ query: String, _ expected: [RegisteredIdentifier], _ failure: String?) {
        let result = Result { () throws(FHIRMappingError) in try FHIRBundleReader.searchedIdentifiers(query, at: "x") }
        switch result {
        case .success(let found): #expect(failure == nil && found == expected)
        case .failure(let error): #expect(error.issueCode == failure && error.status == 400)
        }
    }

    @Test(
        arguments: [
            (DeviceIdentity.eui64System, "00:1c:05:04:00:00:78:25", "00-1C-05-04-00-00-78-25"),
            (DeviceIdentity.eui64System, "001C050400007825", "00-1C-05-04-00-00-78-25"),
            (DeviceIdentity.bluetoothSystem, "00-1c-05-00-78-25", "00-1C-05-00-78-25"),
            (DeviceIdentity.eui64System, "00-1C-05-00-78-25", nil),
            (DeviceIdentity.bluetoothSystem, "ZZ-1C-05-00-78-25", nil),
            ("urn:vendor:serial", "ab:cd", "ab:cd"),
        ] as [(String, String, String?)])
    func deviceIdentifiersAreStoredInTheIGsSpelling(_ system: String, _ value: String, _ expected: String?) {
        #expect(DeviceIdentity.normalized(RegisteredIdentifier(system: system, value: value))?.value == expected)
    }

    @Test func aDescriptionIsRecordedWhenItChanges() throws {
        var state = PatientState.initial
        let context = DecisionContext(now: Date(timeIntervalSince1970: 1_800_000_000), actor: .system)
        for event in try Patient.decide(
            state: state,
            command: .enroll(
                patientID: Self.patient, nationalID: try NationalIdentifier("31129956715"), kommunenummer: "5001", program: .kols,
                teams: nil),
            context: context)
        {
            state.apply(event)
        }
        let eui = RegisteredIdentifier(system: DeviceIdentity.eui64System, value: "00-1C-05-04-00-00-78-25")
        for event in try Patient.decide(
            state: state, command: .bindDevice(serial: eui.value, kind: "pulseOximeter", identifiers: [eui]), context: context)
        {
            state.apply(event)
        }
        #expect(throws: DomainError.self) {
            try Patient.decide(
                state: state, command: .bindDevice(serial: "OTHER", kind: "pulseOximeter", identifiers: [eui]), context: context)
        }
        let description = DeviceDescription(manufacturer: "Nonin Medical, Inc.", firmware: "0.9C")
        let first = try Patient.decide(state: state, command: .describeDevice(serial: eui.value, description), context: context)
        #expect(first.count == 1)
        for event in first { state.apply(event) }
        #expect(try Patient.decide(state: state, command: .describeDevice(serial: eui.value, description), context: context).isEmpty)
        var updated = description
        updated.firmware = "1.0"
        #expect(try Patient.decide(state: state, command: .describeDevice(serial: eui.value, updated), context: context).count == 1)
        #expect(state.devices.last?.description == description && state.devices.last?.identifiers == [eui])
    }
}
