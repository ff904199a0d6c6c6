import Foundation
import VardeCore

extension SafetyReport {
    /// The report as markdown: goals first, said plainly when not met.
    public func markdown(chart: String? = nil) -> String {
        var out: [String] = []
        let programText = Program.allCases.compactMap { p in programs[p.rawValue].map { "\(p.rawValue) \($0)" } }.joined(separator: ", ")
        out.append("# Clinical-safety report")
        out.append("")
        out.append(
            "Seed \(seed), \(patients) patients (\(programText)), \(days) simulated days from \(Self.day(start)). "
                + "False alerts are counted from \(Self.day(windowFrom)) (after the baseline days the individual thresholds are set from) "
                + "to the end: \(Self.number(patientDays, 0)) patient-days, \(kommuneShifts) kommune and \(sykehusShifts) sykehus "
                + "nurse day shifts (weekdays).")
        out.append("")
        if let chart { out += ["![Chart](\(chart))", ""] }

        out.append("## Goals")
        out.append("")
        out.append("| goal | " + arms.map(\.arm.title).joined(separator: " | ") + " |")
        out.append("|---|" + arms.map { _ in "---|" }.joined())
        out.append(
            "| every injected event that reached a threshold alerted at its first breaching reading | "
                + arms.map { a in
                    let ok = a.visible.filter(\.atFirstBreach).count, unseen = a.episodes.count - a.visible.count
                    let counts = "\(ok) of \(a.visible.count)" + (unseen > 0 ? "; \(unseen) never reached one" : "")
                    return a.allAlertedAtFirstBreach ? "met (\(counts))" : "**NOT met**: \(counts)"
                }.joined(separator: " | ") + " |")
        out.append(
            "| alerts routed to the right team(s) | "
                + arms.map { a in
                    let ok = a.episodes.filter(\.routedRight).count, alerted = a.episodes.filter(\.alerted).count
                    return a.allRoutedRight
                        ? "met (\(ok) of \(alerted) alerted)" : "**NOT met**: \(ok) of \(alerted) alerted"
                }.joined(separator: " | ") + " |")
        if arms.count == 2 {
            let (d, i) = (arms[0].falsePerPatientDay, arms[1].falsePerPatientDay)
            out.append(
                "| fewer false alerts with individualised thresholds | \(Self.number(d, 3)) per patient-day | \(Self.number(i, 3)) per patient-day: "
                    + (i < d ? "met (\(Self.number((1 - i / max(d, 1e-9)) * 100, 0)) % fewer)" : "**NOT met**") + " |")
        }
        out.append(
            "| the server's alerts match the rules as written | "
                + arms.map { a in
                    let g = a.agreement
                    return g.disagreements == 0 && g.gapsMatched == g.gapsExpected && g.unexpectedOverdue == 0
                        ? "met"
                        : "**NOT met**: \(g.disagreements) readings, \(g.gapsExpected - g.gapsMatched) gaps, \(g.unexpectedOverdue) extra"
                }.joined(separator: " | ") + " |")
        out.append("")

        out.append("## Injected events")
        out.append("")
        out.append(
            "| event | arm | injected | reached a threshold | alerted | at first breaching reading | routed right | missed | onset → first alert, median / max |"
        )
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---|")
        for kind in EpisodeKind.allCases {
            for a in arms {
                guard let k = a.kinds.first(where: { $0.kind == kind }) else { continue }
                out.append(
                    "| \(kind.title) | \(a.arm.title) | \(k.injected) | \(k.breached) | \(k.alerted) | \(k.atFirstBreach) | \(k.routedRight) | \(k.missed) | "
                        + "\(Self.hours(k.medianHours)) / \(Self.hours(k.maxHours)) |")
            }
        }
        out.append("")
        for a in arms {
            let misses = a.episodes.filter { !$0.atFirstBreach || !$0.routedRight }
            guard !misses.isEmpty else { continue }
            out.append("Not alerted at the first breaching reading or not routed right (\(a.arm.title)):")
            out.append("")
            for e in misses {
                let why =
                    e.expectedRules.isEmpty
                    ? "never reached a threshold in force: the rules cannot see it"
                    : !e.missedRules.isEmpty
                        ? "no alert took up the first breach of \(e.missedRules.joined(separator: ", "))"
                        : "alerted, but not routed as the rules say"
                out.append("- \(e.kind.title), patient \(e.patient) (\(e.program.rawValue)), onset \(Self.instant(e.onset)): \(why)")
            }
            out.append("")
        }

        out.append("## False alerts (no injected cause)")
        out.append("")
        out.append("| | " + arms.map(\.arm.title).joined(separator: " | ") + " |")
        out.append("|---|" + arms.map { _ in "---:|" }.joined())
        out.append("| false alerts | " + arms.map { "\($0.falseAlerts)" }.joined(separator: " | ") + " |")
        out.append("| per patient-day | " + arms.map { Self.number($0.falsePerPatientDay, 3) }.joined(separator: " | ") + " |")
        out.append("| per kommune nurse shift | " + arms.map { Self.number($0.falsePerKommuneShift, 1) }.joined(separator: " | ") + " |")
        out.append(
            "| per sykehus nurse shift (red ones) | " + arms.map { Self.number($0.falsePerSykehusShift, 1) }.joined(separator: " | ") + " |"
        )
        out.append(
            "| overdue alerts for days a patient skipped (real, not counted as false) | "
                + arms.map { "\($0.skippedOverdue)" }.joined(separator: " | ") + " |")
        out.append("")
        out.append("Per patient-day of the program, by rule:")
        out.append("")
        out.append("| program | rule | " + arms.map(\.arm.title).joined(separator: " | ") + " |")
        out.append("|---|---|" + arms.map { _ in "---:|" }.joined())
        let keys = Set(arms.flatMap { $0.falseByProgramRule.map { "\($0.program.rawValue)|\($0.rule)" } }).sorted()
        for key in keys {
            let parts = key.split(separator: "|").map(String.init)
            let cells = arms.map { a in
                a.falseByProgramRule.first { $0.program.rawValue == parts[0] && $0.rule == parts[1] }
                    .map { "\(Self.number($0.perPatientDay, 3)) (\($0.count))" } ?? "0"
            }
            out.append("| \(parts[0]) | \(parts[1]) | " + cells.joined(separator: " | ") + " |")
        }
        out.append("")

        out.append("## Does the server do what the rules say?")
        out.append("")
        out.append(
            "Every reading the server stored is judged again by the rules as the domain primer writes them "
                + "(`SpecRules`, not the server's code), against the thresholds in force when it arrived; every gap "
                + "in a measurement plan is followed to the sweep that must raise it.")
        out.append("")
        out.append("| | " + arms.map(\.arm.title).joined(separator: " | ") + " |")
        out.append("|---|" + arms.map { _ in "---:|" }.joined())
        out.append("| readings stored and judged | " + arms.map { "\($0.agreement.readingsJudged)" }.joined(separator: " | ") + " |")
        out.append("| readings breaching a threshold | " + arms.map { "\($0.agreement.readingsBreaching)" }.joined(separator: " | ") + " |")
        out.append(
            "| readings where server and rules disagree | " + arms.map { "\($0.agreement.disagreements)" }.joined(separator: " | ") + " |")
        out.append(
            "| overdue gaps: expected / alerted | "
                + arms.map { "\($0.agreement.gapsExpected) / \($0.agreement.gapsMatched)" }.joined(separator: " | ")
                + " |")
        out.append(
            "| overdue alerts the rules do not give | " + arms.map { "\($0.agreement.unexpectedOverdue)" }.joined(separator: " | ") + " |")
        out.append(
            "| latest overdue alert after its sweep | "
                + arms.map { "\(Self.number($0.agreement.maxOverdueDelayMinutes, 0)) min" }.joined(separator: " | ")
                + " |")
        out.append(
            "| resent readings answered duplicate | " + arms.map { "\($0.duplicates)" }.joined(separator: " | ") + " |")
        out.append(
            "| readings refused | "
                + arms.map { a in
                    a.refused.isEmpty ? "0" : a.refused.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                }
                .joined(separator: " | ") + " |")
        for a in arms where !a.agreement.examples.isEmpty {
            out.append("")
            out.append("Examples (\(a.arm.title)):")
            out.append("")
            out += a.agreement.examples.map { "- \($0)" }
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    static func number(_ v: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", v) }

    static func hours(_ h: Double?) -> String { h.map { number($0, 1) + " h" } ?? "–" }

    static func day(_ d: Date) -> String { String(EventDate.format(d.addingTimeInterval(SimulationConfig.localOffset)).prefix(10)) }

    static func instant(_ d: Date) -> String { String(EventDate.format(d).prefix(16)) + "Z" }
}
