import Foundation
import Testing

@testable import VardeCore

@Suite struct PatientLifecycleTests {
    @Test func enrolmentWritesDefaultsAsVersionOneAndTeams() throws {
        var g = Given()
        let out = try g.when(Fx.enroll(.hjertesvikt), at: 0, by: Fx.clinician)
        #expect(
            out == [
                .patientEnrolled(
                    PatientEnrolled(
                        patientId: Fx.patient, nationalId: "31129956715", nationalIdKind: .fodselsnummer, kommunenummer: "0301",
                        program: .hjertesvikt, enrolledAt: Fx.t0)),
                .thresholdsChanged(
                    ThresholdsChanged(
                        version: 1, thresholds: .defaults(for: .hjertesvikt), reason: "program defaults", by: Fx.clinician, at: Fx.t0)),
                .teamsAssigned(TeamsAssigned(kommuneTeam: Fx.kommune, sykehusTeam: Fx.sykehus, at: Fx.t0)),
            ])
        #expect(g.state.version == 3)
        #expect(g.state.thresholdVersion == 1)
        #expect(domainError { () throws(DomainError) in _ = try g.decide(Fx.enroll(.kols)) } == .conflict("patient is already enrolled"))
    }

    @Test(arguments: ["301", "03011", "03a1", "٠٣٠١"])
    func enrolmentRefusesBadKommunenummer(k: String) {
        let g = Given()
        let error = domainError { () throws(DomainError) in
            _ = try g.decide(.enroll(patientID: Fx.patient, nationalID: Fx.nationalID(), kommunenummer: k, program: .kols, teams: nil))
        }
        #expect(error?.field == "/kommunenummer")
    }

    @Test func commandsOnANeverEnrolledPatientAreNotFound() {
        let g = Given()
        for c in [Fx.reading("r1", .spo2(percent: 95), measuredHours: 0), .bindDevice(serial: "s", kind: "scale"), .discharge(reason: "x")]
        {
            #expect(domainError { () throws(DomainError) in _ = try g.decide(c) } == .notFound("patient"))
        }
    }

    @Test func devicesBindAndUnbindWithIntervals() throws {
        var g = Given(.kols)
        try g.when(.bindDevice(serial: "OX-1", kind: "pulseOximeter"), at: 1)
        #expect(
            domainError { () throws(DomainError) in _ = try g.decide(.bindDevice(serial: "OX-1", kind: "pulseOximeter")) }
                == .conflict("device is already bound to this patient"))
        #expect(
            try g.when(.unbindDevice(serial: "OX-1"), at: 5) == [
                .deviceUnbound(DeviceUnbound(serial: "OX-1", kind: "pulseOximeter", at: Fx.at(5)))
            ])
        #expect(domainError { () throws(DomainError) in _ = try g.decide(.unbindDevice(serial: "OX-1")) } == .notFound("device"))
        try g.when(.bindDevice(serial: "OX-1", kind: "pulseOximeter"), at: 6)
        #expect(g.state.devices.map(\.from) == [Fx.at(1), Fx.at(6)])
        #expect(g.state.devices.map(\.to) == [Fx.at(5), nil])
    }

    @Test func dischargeResolvesActiveAlertsUnbindsDevicesAndClosesThePatient() throws {
        var g = Given(.kols)
        try g.when(.bindDevice(serial: "OX-1", kind: "pulseOximeter"), at: 0)
        let a = try g.when(Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1).raised[0].alertId
        let b = try g.when(Fx.reading("r2", .pulse(perMinute: 45), measuredHours: 1), at: 1).raised[0].alertId
        try g.when(.resolveAlert(b, note: nil), at: 2)
        let out = try g.when(.discharge(reason: "moved"), at: 3, by: Fx.clinician)
        #expect(out.types == ["AlertResolved", "DeviceUnbound", "PatientDischarged"])
        #expect(
            out.resolved == [AlertResolved(alertId: a, resolution: .manual, by: Fx.clinician, at: Fx.at(3), note: "patient discharged")])
        #expect(g.state.boundDevices.isEmpty)

        for c in [
            Fx.reading("r3", .spo2(percent: 95), measuredHours: 4), .discharge(reason: "again"), .bindDevice(serial: "x", kind: "scale"),
        ] {
            guard case .conflict = domainError({ () throws(DomainError) in _ = try g.decide(c, at: 4) }) else {
                Issue.record("\(c) must conflict")
                continue
            }
        }
        #expect(try g.decide(.checkOverdue, at: 200).isEmpty)
        // Correcting the record stays possible after discharge.
        #expect(try g.decide(.voidReading(readingID: Fx.readingID("r1"), reason: "wrong patient"), at: 5).types == ["ReadingVoided"])
    }

    @Test func thresholdChangesAreVersionedAndJudgeLaterReadingsOnly() throws {
        var g = Given(.kols)
        let v1 = try g.when(Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1).raised[0]
        try g.when(.resolveAlert(v1.alertId, note: nil), at: 1)
        var custom = ThresholdSet.defaults(for: .kols)
        custom.spo2Low = .init(yellow: 86, red: 82)
        let change = try g.when(.changeThresholds(custom, reason: "baseline 87 %"), at: 2, by: Fx.clinician)
        #expect(
            change == [
                .thresholdsChanged(
                    ThresholdsChanged(version: 2, thresholds: custom, reason: "baseline 87 %", by: Fx.clinician, at: Fx.at(2)))
            ])
        #expect(try g.when(Fx.reading("r2", .spo2(percent: 88), measuredHours: 3), at: 3).raised.isEmpty)
        let v2 = try g.when(Fx.reading("r3", .spo2(percent: 82), measuredHours: 4), at: 4).raised[0]
        #expect((v2.thresholdVersion, v2.severity, v2.limit) == (2, .red, 82))
        #expect(g.state.alerts[v1.alertId]?.thresholdVersion == 1)

        custom.spo2Low = .init(yellow: 80, red: 85)
        #expect(domainError { () throws(DomainError) in _ = try g.decide(.changeThresholds(custom, reason: "x")) }?.field == "/spo2Low/red")
    }
}
