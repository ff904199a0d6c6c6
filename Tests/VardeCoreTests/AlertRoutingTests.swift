import Foundation
import Testing

@testable import VardeCore

@Suite struct AlertRoutingTests {
    static let k = Fx.kommune, s = Fx.sykehus
    static let rows: [(Severity, Bool, RoutingOption, [UUID])] = [
        (.yellow, false, .standard, [k]), (.red, false, .standard, [k, s]), (.yellow, true, .standard, [k, s]),
        (.yellow, false, .yellowAlsoToSykehus, [k, s]), (.red, false, .yellowAlsoToSykehus, [k, s]),
        (.yellow, false, .redOnlyKommune, [k]), (.red, false, .redOnlyKommune, [k]), (.red, true, .redOnlyKommune, [k, s]),
    ]

    @Test(arguments: rows)
    func routingTable(severity: Severity, escalated: Bool, option: RoutingOption, expected: [UUID]) {
        #expect(AlertRouting.teams(severity: severity, escalated: escalated, teams: Fx.teams, option: option) == expected)
    }

    @Test func withoutSykehusTeamRedGoesToKommuneOnly() {
        #expect(AlertRouting.teams(severity: .red, escalated: false, teams: PatientTeams(kommune: Self.k)) == [Self.k])
    }

    @Test func patientRoutingOptionAppliesToNewAndOpenAlerts() throws {
        var g = Given(.kols)
        let id = try g.when(Fx.reading("r1", .spo2(percent: 80), measuredHours: 1), at: 1).raised[0].alertId
        #expect(g.state.alerts[id]?.routedTo == [Self.k, Self.s])
        try g.when(.changeRouting(.redOnlyKommune), at: 2)
        #expect(g.state.alerts[id]?.routedTo == [Self.k])
        #expect(try g.decide(.changeRouting(.redOnlyKommune), at: 3).isEmpty)
    }

    @Test func escalatedAlertKeepsSykehusAfterAcknowledgement() throws {
        var g = Given(.kols)
        let id = try g.when(Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1).raised[0].alertId
        try g.when(.escalateAlert(id, note: nil), at: 2)
        #expect(g.state.alerts[id]?.routedTo == [Self.k, Self.s])
        try g.when(.acknowledgeAlert(id, note: nil), at: 3)
        #expect(g.state.alerts[id]?.routedTo == [Self.k, Self.s])
    }
}
