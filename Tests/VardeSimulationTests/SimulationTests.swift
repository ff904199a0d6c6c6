import Foundation
import Testing
import VardeCore
import VardeHTTP
import VardeSimulation
import VardeSimulator
import VardeTestSupport

/// A small seeded run end to end: the real application on a scratch schema
/// of the test cluster, on a simulated clock, over loopback HTTP, both arms.
@Suite struct SimulationTests {
    @Test func aSmallSeededRunAlertsEveryDeteriorationAndNothingTheRulesDoNotGive() async throws {
        let config = SimulationConfig(seed: 5, patients: 12, days: 14)
        let scratch = ScratchSchemas(conninfo: TestDatabase.conninfo, sqlDirectory: nil, logger: TestDatabase.logger)
        let result = try await Simulation.run(
            .init(config: config, concurrency: 8, progress: false), configuration: Configuration(), scratch: scratch,
            logger: TestDatabase.logger)
        let fleet = result.fleet
        #expect(Set(fleet.episodes.map(\.kind)).isSuperset(of: [.exacerbation, .fluidRetention, .hypertensiveEpisode, .stopsMeasuring]))
        #expect(!fleet.quietPatients.isEmpty)
        let resent = fleet.uploads.filter { $0.resendOf != nil }.reduce(0) { $0 + $1.readings.count }
        #expect(resent > 0)
        #expect(result.report.arms.map(\.arm) == [.defaults, .individualised])

        for arm in result.report.arms {
            // Every injected event the thresholds in force could see: alerted at its first breaching reading, routed right.
            let visible = arm.episodes.filter { !$0.expectedRules.isEmpty }
            #expect(visible.count >= 3, "\(arm.arm)")
            for e in visible {
                #expect(e.atFirstBreach, "\(arm.arm) \(e.kind) of patient \(e.patient) missed \(e.missedRules)")
                #expect(e.routedRight, "\(arm.arm) \(e.kind) of patient \(e.patient) not routed right")
            }
            // No alert the rules as written do not give, quiet patients included; every overdue gap alerted.
            let g = arm.agreement
            #expect(g.disagreements == 0, "\(arm.arm): \(g.examples)")
            #expect(g.unexpectedOverdue == 0, "\(arm.arm): \(g.examples)")
            #expect(g.gapsMatched == g.gapsExpected, "\(arm.arm): \(g.examples)")
            #expect(g.readingsJudged == Set(fleet.arrivals().map(\.reading)).count, "every reading sent was stored")
            // Resends come back duplicate, nothing is refused.
            #expect(arm.duplicates == resent)
            #expect(arm.refused.isEmpty, "\(arm.refused)")
        }
        let quiet = Set(fleet.quietPatients)
        for outcome in result.outcomes {
            let expectation = Expectation.compute(fleet, arm: outcome.arm)
            for a in outcome.alerts where quiet.contains(a.patient) {
                if case .overdue = a.rule { continue }  // matched gap by gap above
                let first = try #require(a.readings.first)
                #expect(expectation.breaches[first]?.contains { $0.rule == a.rule } == true, "\(a.rule) for quiet patient \(a.patient)")
            }
        }
        #expect(result.report.markdown().contains("Clinical-safety report"))
        // The files of --report-dir, and --json for machines.
        let folder = FileManager.default.temporaryDirectory.appending(path: "sim-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try result.write(to: folder.path)
        let markdown = try String(contentsOf: folder.appending(path: "report.md"), encoding: .utf8)
        #expect(markdown.contains("![Chart](chart.svg)") && markdown.contains("Throughput and latency"))
        #expect(try String(contentsOf: folder.appending(path: "chart.svg"), encoding: .utf8).hasPrefix("<svg"))
        let json = try #require(try JSONSerialization.jsonObject(with: result.json()) as? [String: Any])
        let arms = (json["report"] as? [String: Any])?["arms"] as? [[String: Any]] ?? []
        #expect(arms.count == 2 && (json["config"] as? [String: Any])?["seed"] as? Int == 5)
        #expect((json["figures"] as? [[String: Any]] ?? []).allSatisfy { ($0["readingsPerSecond"] as? Double ?? 0) > 0 })
        #expect(result.latencies.contains { $0.kind == "POST /v1/readings" && $0.count > 0 })
        #expect(result.figures.allSatisfy { $0.readingsStored > 0 && $0.requests > 0 })
    }
}
