import Foundation
import Testing

@testable import VardeCore

@Suite struct PatientEventCodecTests {
    static let t = Fx.at(1.2345)  // fractional seconds
    static let stamp = Fx.nurse
    static let samples: [PatientEvent] = [
        .patientEnrolled(
            PatientEnrolled(
                patientId: Fx.patient, nationalId: "43022014103", nationalIdKind: .dNummer, kommunenummer: "0301", program: .kols,
                enrolledAt: t)),
        .teamsAssigned(TeamsAssigned(kommuneTeam: Fx.kommune, sykehusTeam: nil, at: t)),
        .routingChanged(RoutingChanged(option: .yellowAlsoToSykehus, by: stamp, at: t)),
        .thresholdsChanged(ThresholdsChanged(version: 3, thresholds: .defaults(for: .hjertesvikt), reason: "r", by: stamp, at: t)),
        .patientDischarged(PatientDischarged(at: t, reason: "done", by: stamp)),
        .deviceBound(DeviceBound(serial: "BP-1", kind: "bloodPressureMonitor", at: t)),
        .deviceUnbound(DeviceUnbound(serial: "BP-1", kind: "bloodPressureMonitor", at: t)),
        .readingRecorded(
            ReadingRecorded(
                readingId: Fx.readingID("r1"), gatewayReadingId: "sys|r1", gateway: nil, deviceSerial: nil, measuredAt: t, receivedAt: t,
                value: .bloodPressure(systolic: 120.5, diastolic: 80, pulse: nil),
                asSent: ReadingAsSent(unit: "kPa", systolic: 16.07, diastolic: 10.67))),
        .readingVoided(ReadingVoided(readingId: Fx.readingID("r1"), reason: "x", by: stamp, at: t)),
        .alertRaised(
            AlertRaised(
                alertId: UUID(), rule: .overdue(.spo2), measurement: .spo2, severity: .yellow, value: 36, limit: 36, readingId: nil,
                thresholdVersion: 1, overdueSince: t, routedTo: [Fx.kommune], at: t)),
        .alertUpdated(
            AlertUpdated(
                alertId: UUID(), readingId: UUID(), value: 84, worstValue: 84, breachCount: 2, severity: .red, limit: 85,
                thresholdVersion: 1, at: t)),
        .alertAcknowledged(AlertAcknowledged(alertId: UUID(), by: stamp, at: t, note: nil)),
        .alertEscalated(AlertEscalated(alertId: UUID(), by: stamp, at: t, note: "æøå \"quoted\"")),
        .alertResolved(AlertResolved(alertId: UUID(), resolution: .withdrawn, by: stamp, at: t)),
        .deviceDescribed(
            DeviceDescribed(
                serial: "00-1C-05-04-00-00-78-25",
                description: DeviceDescription(
                    manufacturer: "Nonin Medical, Inc.", model: "Model 3150", serialNumber: "0400007825", firmware: "0.9C",
                    timeSync: DeviceDescription.noTimeSync,
                    identifiers: [RegisteredIdentifier(system: DeviceIdentity.bluetoothSystem, value: "00-1C-05-00-78-25")]), at: t)),
        .patientIdentifiersChanged(
            PatientIdentifiersChanged(
                identifiers: [RegisteredIdentifier(system: "urn:oid:2.999.1.2.3.4.5.6.7.8.10", value: "sisansarahId")], by: stamp, at: t)),
    ]

    /// Events written before PHD gateways: a binding without identifiers and a reading
    /// without a clock offset decode as such, and a reading with one keeps it.
    @Test func phdFieldsAreOptional() throws {
        let bound = try PatientEvent.decode(
            type: "DeviceBound", schemaVersion: 1, data: Data(#"{"at":"2025-02-19T22:34:04.200Z","kind":"scale","serial":"S-1"}"#.utf8))
        guard case .deviceBound(let b) = bound else {
            Issue.record("not a DeviceBound")
            return
        }
        #expect(b.identifiers == nil)
        var reading = try #require(
            {
                if case .readingRecorded(let r) = Self.samples[7] { r } else { nil }
            }())
        #expect(reading.clockOffset == nil)
        #expect(!String(decoding: PatientEvent.readingRecorded(reading).encode(), as: UTF8.self).contains("clockOffset"))
        reading.clockOffset = -1.064
        let decoded = try PatientEvent.decode(
            type: ReadingRecorded.type, schemaVersion: 1, data: PatientEvent.readingRecorded(reading).encode())
        #expect(decoded == .readingRecorded(reading))
    }

    @Test func everyTypeIsCovered() {
        #expect(Self.samples.map(\.type) == PatientEvent.allTypes)
    }

    @Test(arguments: samples)
    func roundTrip(event: PatientEvent) throws {
        let data = event.encode()
        #expect(data == event.encode())
        let decoded = try PatientEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: data)
        #expect(decoded == event)
        #expect(decoded.encode() == data)
    }

    @Test func jsonIsSortedWithMillisecondDates() throws {
        let json = String(decoding: Self.samples[1].encode(), as: UTF8.self)
        #expect(json == #"{"at":"2025-02-19T22:34:04.200Z","kommuneTeam":"11111111-1111-4111-8111-111111111111"}"#)
    }

    @Test(arguments: [("31129956715", NationalIdentifier.Kind.fodselsnummer), ("43022014103", .dNummer)])
    func upcastsEnrolledV1(nationalId: String, kind: NationalIdentifier.Kind) throws {
        let v1 =
            #"{"enrolledAt":"2025-02-19T21:20:00.000Z","kommunenummer":"0301","nationalId":"\#(nationalId)","patientId":"\#(Fx.patient.uuidString)","program":"kols"}"#
        let e = try PatientEvent.decode(type: "PatientEnrolled", schemaVersion: 1, data: Data(v1.utf8))
        #expect(
            e
                == .patientEnrolled(
                    PatientEnrolled(
                        patientId: Fx.patient, nationalId: nationalId, nationalIdKind: kind, kommunenummer: "0301", program: .kols,
                        enrolledAt: Fx.t0)))
        #expect(e.schemaVersion == 2)
    }

    @Test func refusesUnknownTypesVersionsAndBodies() {
        let data = Self.samples[1].encode()
        #expect(
            domainError { () throws(DomainError) in _ = try PatientEvent.decode(type: "Nope", schemaVersion: 1, data: data) }?.field
                == "/type")
        #expect(
            domainError { () throws(DomainError) in _ = try PatientEvent.decode(type: "TeamsAssigned", schemaVersion: 2, data: data) }?
                .field == "/schemaVersion")
        #expect(
            domainError { () throws(DomainError) in
                _ = try PatientEvent.decode(type: "TeamsAssigned", schemaVersion: 1, data: Data("{}".utf8))
            }?.field == "/data")
    }

    @Test(arguments: [
        ("2025-02-19T21:20:00Z", 1_740_000_000.0), ("2025-02-19T21:20:00.5Z", 1_740_000_000.5),
        ("2025-02-19T23:20:00.250+02:00", 1_740_000_000.25), ("1969-12-31T23:59:59.999Z", -0.001),
        ("2024-02-29T00:00:00.000Z", 1_709_164_800),
    ])
    func eventDateParses(text: String, epoch: Double) {
        #expect(EventDate.parse(text) == EventDate.normalized(Date(timeIntervalSince1970: epoch)))
    }

    @Test func eventDateFormatsAndRefusesJunk() {
        #expect(EventDate.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(EventDate.format(Date(timeIntervalSince1970: 1_709_164_800.0004)) == "2024-02-29T00:00:00.000Z")
        for junk in ["2025-02-19", "2025-13-01T00:00:00Z", "2025-02-19T21:20:00", "2025-02-19T21:20:00Zx"] {
            #expect(EventDate.parse(junk) == nil)
        }
    }
}
