import ArgumentParser
import Foundation
import VardeCore
import VardeHTTP
import VardeStore

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prove the log intact: hash chains, a replay equal to the read models, alert decisions reproduced. Exit 0 only when all hold.")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Check only this patient's stream (skips the projection replay).")
    var patient: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let report = try await reporting { () -> Verification.Report in
            let configuration = Configuration.resolve(arguments: options.overrides, environment: ProcessInfo.processInfo.environment)
            let logger = options.makeLogger()
            let database = Database(conninfo: configuration.databaseURL, maxConnections: 3, logger: logger)
            defer { Task { await database.close() } }
            let stream = try patient.map { text -> String in
                guard let id = UUID(uuidString: text) else { throw ValidationError("--patient takes a patient id") }
                return StreamName.patient(id)
            }
            let lastLine = LastLine()
            return try await Verification(database: database, logger: logger).run(stream: stream) { line in
                lastLine.print(line)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            for b in report.chainBreaks { print("BROKEN CHAIN  \(b)") }
            for d in report.projectionDifferences ?? [] { print("PROJECTION    \(d)") }
            for d in report.alertDifferences { print("ALERT RULES   \(d)") }
            print("\(report.passed ? "OK" : "FAILED"): \(report.streams) streams, \(report.events) events, "
                + "\(report.chainBreaks.count) broken chains, \(report.projectionDifferences?.count ?? 0) projection differences, "
                + "\(report.alertDifferences.count) alert differences, \(String(format: "%.2f", report.seconds)) s")
        }
        if !report.passed { throw ExitCode(1) }
    }
}

/// Progress on standard error, at most a line a second.
final class LastLine: @unchecked Sendable {
    private var last = ContinuousClock.now - .seconds(2)
    func print(_ line: String) {
        guard ContinuousClock.now - last >= .seconds(1) else { return }
        last = ContinuousClock.now
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
