import Foundation
import VardeCore
import VardeSimulator

extension Simulation.Result {
    /// Throughput and latency percentiles, for the end of a run.
    public func figuresText() -> String {
        var lines: [String] = []
        lines.append("## Throughput and latency")
        lines.append("")
        lines.append("| arm | wall time | requests | readings sent | stored | readings/s | requests/s | nurse steps |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for f in figures {
            lines.append(
                "| \(f.arm.title) | \(String(format: "%.1f", f.seconds)) s | \(f.requests) | \(f.readingsSent) | \(f.readingsStored) | "
                    + "\(String(format: "%.0f", f.readingsPerSecond)) | \(String(format: "%.0f", f.requestsPerSecond)) | \(f.nurseSteps) |")
        }
        lines.append("")
        lines.append("| request | count | p50 | p90 | p99 | p99.9 | max |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for l in latencies {
            lines.append(
                "| \(l.kind) | \(l.count) | "
                    + [l.p50ms, l.p90ms, l.p99ms, l.p999ms, l.maxms].map { String(format: "%.1f ms", $0) }.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append(String(format: "Total %.1f s.", seconds))
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// Everything, for machines.
    public func json() throws -> Data {
        struct Body: Encodable {
            var config: SimulationConfig
            var report: SafetyReport
            var figures: [Simulation.Figures]
            var latencies: [Latencies.Summary]
            var seconds: Double
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(EventDate.format(date))
        }
        return try encoder.encode(Body(config: fleet.config, report: report, figures: figures, latencies: latencies, seconds: seconds))
    }

    /// Writes `report.md`, `chart.svg` and `report.json` into `directory`.
    public func write(to directory: String) throws {
        let url = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data((report.markdown(chart: "chart.svg") + "\n" + figuresText()).utf8).write(to: url.appending(path: "report.md"))
        try Data(report.svg().utf8).write(to: url.appending(path: "chart.svg"))
        try json().write(to: url.appending(path: "report.json"))
    }
}
