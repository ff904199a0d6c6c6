import Foundation
import Testing

@testable import VardeCore

@Suite struct AlertFeedTests {
    /// Applies `command` and returns the feed entries of each event it produced.
    func feed(_ g: inout Given, _ command: PatientCommand, at hours: Double) throws -> [AlertFeedChange] {
        var before = g.state
        var out: [AlertFeedChange] = []
        for e in try g.decide(command, at: hours) {
            out += AlertFeed.changes(before: before, applying: e)
            before.apply(e)
        }
        _ = try g.when(command, at: hours)
        return out
    }

    @Test func lifecycleEntriesCarryTheAlertAfterTheChange() throws {
        var g = Given(.kols)
        let raised = try feed(&g, Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1)
        #expect(raised.map(\.change) == [.raised])
        #expect(raised[0].teams == [Fx.kommune])
        #expect(raised[0].patientID == Fx.patient)
        let id = raised[0].alert.id

        let updated = try feed(&g, Fx.reading("r2", .spo2(percent: 84), measuredHours: 2), at: 2)
        #expect(updated.map(\.change) == [.updated])
        #expect(updated[0].alert.severity == .red)
        #expect(updated[0].teams == [Fx.kommune, Fx.sykehus])

        let ack = try feed(&g, .acknowledgeAlert(id, note: nil), at: 3)
        #expect(ack.map(\.change) == [.acknowledged])
        #expect(ack[0].alert.state == .acknowledged)

        let resolved = try feed(&g, .resolveAlert(id, note: nil), at: 4)
        #expect(resolved.map(\.change) == [.resolved])
        #expect(resolved[0].alert.state == .resolved)
        #expect(resolved[0].teams == [Fx.kommune, Fx.sykehus])
    }

    @Test func escalationReachesTheSykehusFeed() throws {
        var g = Given(.kols)
        let id = try g.when(Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1).raised[0].alertId
        let esc = try feed(&g, .escalateAlert(id, note: "to lung clinic"), at: 2)
        #expect(esc.map(\.change) == [.escalated])
        #expect(esc[0].teams == [Fx.kommune, Fx.sykehus])
        #expect(esc[0].alert.routedTo == [Fx.kommune, Fx.sykehus])
    }

    @Test func reassignmentMovesActiveAlertsAndTellsTheOldTeam() throws {
        var g = Given(.kols)
        let open = try g.when(Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1).raised[0].alertId
        let done = try g.when(Fx.reading("r2", .pulse(perMinute: 120), measuredHours: 1), at: 1).raised[0].alertId
        try g.when(.resolveAlert(done, note: nil), at: 2)

        let moved = try feed(&g, .assignTeams(kommune: Fx.otherKommune, sykehus: Fx.sykehus), at: 3)
        #expect(moved.map(\.alert.id) == [open])
        #expect(moved.map(\.change) == [.updated])
        #expect(moved[0].teams == [Fx.kommune, Fx.otherKommune])
        #expect(moved[0].alert.routedTo == [Fx.otherKommune])
        #expect(g.state.alerts[done]?.routedTo == [Fx.kommune])

        // Same teams again: nothing happens.
        #expect(try g.decide(.assignTeams(kommune: Fx.otherKommune, sykehus: Fx.sykehus), at: 4).isEmpty)
    }

    /// The two steps the projector uses (routing read before the event, entries from the
    /// state after it, folded in place) give what `changes(before:applying:)` gives.
    @Test func twoStepsGiveTheSameEntries() throws {
        var g = Given(.kols)
        let open = try g.when(Fx.reading("r1", .spo2(percent: 88), measuredHours: 1), at: 1).raised[0].alertId
        try g.when(Fx.reading("r2", .pulse(perMinute: 120), measuredHours: 1), at: 1)
        let commands: [PatientCommand] = [
            Fx.reading("r3", .spo2(percent: 84), measuredHours: 2), .acknowledgeAlert(open, note: nil),
            .assignTeams(kommune: Fx.otherKommune, sykehus: Fx.sykehus), .changeRouting(.yellowAlsoToSykehus),
            .escalateAlert(open, note: nil), .resolveAlert(open, note: nil),
        ]
        var entries = 0
        for (i, command) in commands.enumerated() {
            for e in try g.decide(command, at: Double(i) + 3) {
                let oneStep = AlertFeed.changes(before: g.state, applying: e)
                var state = g.state
                let routed = AlertFeed.routingBefore(state, e)
                state.apply(e)
                #expect(AlertFeed.changes(after: state, e, routedBefore: routed) == oneStep, "\(e.type)")
                entries += oneStep.count
            }
            try g.when(command, at: Double(i) + 3)
        }
        #expect(entries > commands.count)  // a reassignment moves both active alerts
    }

    @Test func raisedOrderIsRaiseTimeThenID() {
        func alert(_ id: String, _ hours: Double) -> Alert {
            Alert(
                id: UUID(uuidString: id)!, rule: .spo2Low, measurement: .spo2, severity: .yellow, raisedAt: Fx.at(hours), value: 88,
                limit: 89, reading: nil, thresholdVersion: 1, routedTo: [])
        }
        let a = alert("00000000-0000-4000-8000-00000000000a", 1), b = alert("00000000-0000-4000-8000-000000000009", 2)
        let c = alert("00000000-0000-4000-8000-00000000000b", 1)
        #expect([b, c, a].sortedByRaise().map(\.id) == [a.id, c.id, b.id])
        #expect(Alert.raisedOrder(a, c) && !Alert.raisedOrder(c, a) && !Alert.raisedOrder(a, a))
    }

    @Test func nonAlertEventsProduceNoEntries() throws {
        let g = Given(.kols)
        let e = PatientEvent.deviceBound(DeviceBound(serial: "x", kind: "scale", at: Fx.t0))
        #expect(AlertFeed.changes(before: g.state, applying: e).isEmpty)
    }
}
