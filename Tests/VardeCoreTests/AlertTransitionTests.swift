import Foundation
import Testing

@testable import VardeCore

@Suite struct AlertTransitionTests {
    enum Step: String, CaseIterable, Sendable { case acknowledge, escalate, resolve }

    /// A kols patient with one open yellow SpO2 alert, moved to `state`.
    static func patient(alertIn state: AlertState) throws -> (Given, UUID) {
        var g = Given(.kols)
        let id = try g.when(Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1).raised[0].alertId
        switch state {
        case .open: break
        case .acknowledged: try g.when(.acknowledgeAlert(id, note: nil), at: 2)
        case .escalated: try g.when(.escalateAlert(id, note: nil), at: 2)
        case .resolved: try g.when(.resolveAlert(id, note: nil), at: 2)
        }
        return (g, id)
    }

    static func command(_ step: Step, _ id: UUID) -> PatientCommand {
        switch step {
        case .acknowledge: .acknowledgeAlert(id, note: "called patient")
        case .escalate: .escalateAlert(id, note: "called patient")
        case .resolve: .resolveAlert(id, note: "called patient")
        }
    }

    static let allowed: [AlertState: Set<Step>] = [
        .open: [.acknowledge, .escalate, .resolve], .acknowledged: [.escalate, .resolve],
        .escalated: [.acknowledge, .resolve], .resolved: [],
    ]

    @Test(arguments: AlertState.allCases, Step.allCases)
    func transitionTable(from: AlertState, step: Step) throws {
        var (g, id) = try Self.patient(alertIn: from)
        if Self.allowed[from]!.contains(step) {
            let out = try g.when(Self.command(step, id), at: 3, by: Fx.clinician)
            #expect(out.count == 1)
            let alert = g.state.alerts[id]!
            let expected: AlertState =
                switch step {
                case .acknowledge: .acknowledged
                case .escalate: .escalated
                case .resolve: .resolved
                }
            #expect(alert.state == expected)
            #expect(alert.notes.last == AlertStamp(by: Fx.clinician, at: Fx.at(3), note: "called patient"))
            #expect(alert.resolution == (step == .resolve ? .manual : nil))
        } else {
            let error = domainError { () throws(DomainError) in _ = try g.decide(Self.command(step, id), at: 3) }
            guard case .conflict = error else {
                Issue.record("expected conflict, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func unknownAlertIsNotFound() {
        let g = Given(.kols)
        #expect(domainError { () throws(DomainError) in _ = try g.decide(.acknowledgeAlert(UUID(), note: nil)) } == .notFound("alert"))
    }

    @Test func escalationNeedsASykehusTeam() throws {
        var g = Given(.kols, teams: PatientTeams(kommune: Fx.kommune))
        let id = try g.when(Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1).raised[0].alertId
        guard case .conflict = domainError({ () throws(DomainError) in _ = try g.decide(.escalateAlert(id, note: nil)) }) else {
            Issue.record("escalating without a sykehus team must conflict")
            return
        }
    }

    @Test func stampsRecordWhoAndWhen() throws {
        var (g, id) = try Self.patient(alertIn: .open)
        try g.when(.escalateAlert(id, note: nil), at: 2, by: Fx.nurse)
        try g.when(.acknowledgeAlert(id, note: nil), at: 3, by: Fx.clinician)
        try g.when(.resolveAlert(id, note: "stable"), at: 4, by: Fx.clinician)
        let a = g.state.alerts[id]!
        #expect(a.escalated == AlertStamp(by: Fx.nurse, at: Fx.at(2)))
        #expect(a.acknowledged == AlertStamp(by: Fx.clinician, at: Fx.at(3)))
        #expect(a.resolved == AlertStamp(by: Fx.clinician, at: Fx.at(4), note: "stable"))
        #expect(a.notes.map(\.note) == ["stable"])
        #expect(g.state.activeAlertByRule[.spo2Low] == nil)
    }
}
