import Foundation
import VardeCore

/// The report's chart as SVG, drawn here (no plotting library): on the left,
/// false alerts per 100 patient-days by program for each arm; on the right,
/// the share of each kind of injected event alerted at its first breaching
/// reading, for each arm.
extension SafetyReport {
    public func svg() -> String {
        let width = 860.0, height = 380.0
        let colours = ["#7f8c8d", "#2e86c1"]
        var s: [String] = [
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" viewBox="0 0 \#(Int(width)) \#(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">"#,
            #"<rect width="100%" height="100%" fill="white"/>"#,
            #"<text x="\#(Int(width / 2))" y="22" text-anchor="middle" font-size="15" font-weight="bold">Varde simulation, seed \#(seed): \#(patients) patients, \#(days) days</text>"#,
        ]
        // Legend.
        for (i, arm) in arms.enumerated() {
            let x = 300.0 + Double(i) * 170
            s.append(#"<rect x="\#(x)" y="34" width="12" height="12" fill="\#(colours[i % 2])"/>"#)
            s.append(#"<text x="\#(x + 18)" y="45">\#(arm.arm.title)</text>"#)
        }
        // Left: false alerts per 100 patient-days by program.
        let programs = Program.allCases.filter { (self.programs[$0.rawValue] ?? 0) > 0 }
        let windowDays = windowTo.timeIntervalSince(windowFrom) / 86_400
        let groups: [(String, [Double])] =
            programs.map { p in
                let days = Double(self.programs[p.rawValue] ?? 1) * windowDays
                return (
                    p.rawValue,
                    arms.map { a in Double(a.falseByProgramRule.filter { $0.program == p }.map(\.count).reduce(0, +)) / days * 100 }
                )
            } + [("all", arms.map { $0.falsePerPatientDay * 100 })]
        s += panel(
            x: 60, y: 70, width: 340, height: 250, title: "False alerts per 100 patient-days", groups: groups,
            maximum: niceCeiling(groups.flatMap(\.1).max() ?? 1), format: { String(format: "%.1f", $0) }, colours: colours)
        // Right: alerted at the first breaching reading, % of injected.
        let kinds = EpisodeKind.allCases.filter { k in arms.contains { $0.kinds.contains { $0.kind == k } } }
        let shares: [(String, [Double])] = kinds.map { k in
            (
                Self.short(k),
                arms.map { a in a.kinds.first { $0.kind == k }.map { Double($0.atFirstBreach) / Double(max($0.injected, 1)) * 100 } ?? 0 }
            )
        }
        s += panel(
            x: 480, y: 70, width: 340, height: 250, title: "Alerted at first breaching reading, % of injected", groups: shares,
            maximum: 100, format: { String(format: "%.0f", $0) }, colours: colours)
        s.append("</svg>")
        return s.joined(separator: "\n") + "\n"
    }

    static func short(_ k: EpisodeKind) -> String {
        switch k {
        case .exacerbation: "KOLS exac."
        case .fluidRetention: "HF fluid"
        case .hypertensiveEpisode: "Hypertensive"
        case .stopsMeasuring: "Stops"
        case .deviceHandover: "Handover"
        }
    }

    private func niceCeiling(_ v: Double) -> Double {
        guard v > 0 else { return 1 }
        let magnitude = pow(10, (log10(v)).rounded(.down))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= v { return step * magnitude }
        return 10 * magnitude
    }

    private func panel(
        x: Double, y: Double, width: Double, height: Double, title: String, groups: [(String, [Double])], maximum: Double,
        format: (Double) -> String, colours: [String]
    ) -> [String] {
        var s = [#"<text x="\#(x + width / 2)" y="\#(y - 8)" text-anchor="middle" font-weight="bold">\#(title)</text>"#]
        let bottom = y + height
        for t in 0...4 {
            let v = maximum * Double(t) / 4, ty = bottom - height * Double(t) / 4
            s.append(#"<line x1="\#(x)" y1="\#(ty)" x2="\#(x + width)" y2="\#(ty)" stroke="gainsboro"/>"#)
            s.append(#"<text x="\#(x - 6)" y="\#(ty + 4)" text-anchor="end" fill="dimgray">\#(format(v))</text>"#)
        }
        s.append(#"<line x1="\#(x)" y1="\#(bottom)" x2="\#(x + width)" y2="\#(bottom)" stroke="black"/>"#)
        let slot = width / Double(max(groups.count, 1))
        let bar = min(28, (slot - 12) / Double(max(groups.first?.1.count ?? 1, 1)))
        for (g, (label, values)) in groups.enumerated() {
            let gx = x + slot * Double(g) + (slot - bar * Double(values.count)) / 2
            for (i, v) in values.enumerated() {
                let h = maximum > 0 ? min(v, maximum) / maximum * height : 0
                let bx = gx + bar * Double(i)
                s.append(
                    #"<rect x="\#(String(format: "%.1f", bx))" y="\#(String(format: "%.1f", bottom - h))" width="\#(String(format: "%.1f", bar - 2))" height="\#(String(format: "%.1f", h))" fill="\#(colours[i % colours.count])"/>"#
                )
                s.append(
                    #"<text x="\#(String(format: "%.1f", bx + (bar - 2) / 2))" y="\#(String(format: "%.1f", bottom - h - 4))" text-anchor="middle" font-size="10">\#(format(v))</text>"#
                )
            }
            s.append(
                #"<text x="\#(String(format: "%.1f", x + slot * (Double(g) + 0.5)))" y="\#(bottom + 16)" text-anchor="middle">\#(label)</text>"#
            )
        }
        return s
    }
}
