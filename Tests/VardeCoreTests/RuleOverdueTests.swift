import Foundation
import Testing

@testable import VardeCore

@Suite struct RuleOverdueTests {
    let plan = ThresholdSet.defaults(for: .kols).expected

    @Test(arguments: [(35.99, false), (36.0, true), (40, true)])
    func overdueAfterIntervalPlusGraceSinceEnrolment(hours: Double, overdue: Bool) {
        let f = OverdueRule.overdue(plan: plan, lastMeasured: [:], enrolledAt: Fx.t0, now: Fx.at(hours))
        #expect(f.map(\.kind) == (overdue ? [.spo2, .pulse] : []))
        #expect(f.allSatisfy { $0.since == Fx.t0 && $0.dueAt == Fx.at(36) })
    }

    @Test func countsFromTheLastReadingOfThatKind() {
        let f = OverdueRule.overdue(plan: plan, lastMeasured: [.spo2: Fx.at(10)], enrolledAt: Fx.t0, now: Fx.at(40))
        #expect(f.map(\.kind) == [.pulse])
        let g = OverdueRule.overdue(plan: plan, lastMeasured: [.spo2: Fx.at(10)], enrolledAt: Fx.t0, now: Fx.at(46))
        #expect(g.first { $0.kind == .spo2 }?.since == Fx.at(10))
    }

    @Test func aReadingBeforeEnrolmentDoesNotShortenTheGap() {
        let f = OverdueRule.overdue(plan: plan, lastMeasured: [.spo2: Fx.at(-30), .pulse: Fx.at(-30)], enrolledAt: Fx.t0, now: Fx.at(20))
        #expect(f.isEmpty)
    }

    @Test func breachIsYellowWithHoursAndLimit() {
        let f = OverdueRule.overdue(
            plan: [.init(kind: .weight, intervalHours: 48, graceHours: 6)], lastMeasured: [:], enrolledAt: Fx.t0, now: Fx.at(60))
        #expect(
            f.first?.breach(now: Fx.at(60))
                == Breach(rule: .overdue(.weight), severity: .yellow, measurement: .weight, observed: 60, limit: 54))
    }
}
