import Foundation
import Testing

@testable import VardeCore

@Suite struct PatientViewTests {
    @Test func showsWhatTheNurseNeeds() throws {
        var g = Given(.kols)
        try g.when(.bindDevice(serial: "OX-1", kind: "pulseOximeter"), at: 0)
        try g.when(Fx.reading("old", .spo2(percent: 95), measuredHours: -24 * 31), at: 1)
        try g.when(Fx.reading("s2", .spo2(percent: 94), measuredHours: 5), at: 5)
        try g.when(Fx.reading("s1", .spo2(percent: 96), measuredHours: 3), at: 6)  // late, older
        try g.when(Fx.reading("void", .spo2(percent: 97), measuredHours: 7), at: 7)
        try g.when(.voidReading(readingID: Fx.readingID("void"), reason: "x"), at: 8)

        var view = PatientView(state: g.state, now: Fx.at(10))
        #expect(view.status == .green)
        #expect(view.latest[.spo2]?.value == .spo2(percent: 94))
        #expect(view.recent[.spo2]?.map(\.value) == [.spo2(percent: 96), .spo2(percent: 94)])
        #expect(view.thresholdVersion == 1)
        #expect(view.thresholds == .defaults(for: .kols))
        #expect(view.devices.map(\.serial) == ["OX-1"])
        #expect(view.teams == Fx.teams)
        // Unbound devices stay in the list, with the time they were unbound.
        try g.when(.unbindDevice(serial: "OX-1"), at: 8.5)
        #expect(PatientView(state: g.state, now: Fx.at(10)).devices.map { "\($0.serial) \($0.to == Fx.at(8.5))" } == ["OX-1 true"])

        try g.when(Fx.reading("p1", .pulse(perMinute: 115), measuredHours: 9), at: 9)
        view = PatientView(state: g.state, now: Fx.at(10))
        #expect(view.status == .yellow)
        let red = try g.when(Fx.reading("p2", .spo2(percent: 80), measuredHours: 9.5), at: 9.5).raised[0].alertId
        view = PatientView.project(g.events, now: Fx.at(10))
        #expect(view.status == .red)
        #expect(view.openAlerts.map(\.rule) == [.pulseHigh, .spo2Low])
        try g.when(.resolveAlert(red, note: nil), at: 11)
        #expect(PatientView(state: g.state, now: Fx.at(12)).status == .yellow)
    }
}
