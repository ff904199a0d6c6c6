import ArgumentParser
import Foundation
import VardeCLI
import VardeCore
import VardeHTTP
import VardeStore

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Prove the log intact: hash chains, a replay equal to the read models, alert decisions reproduced. Exit 0 only when all hold.")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Check only this patient's stream and read-model rows.")
    var patient: String?

    @Flag(help: "Print the report as JSON (with the stream heads, to keep for --heads).")
    var json = false

    @Option(
        help: ArgumentHelp(
            "Check that the stream heads an earlier run recorded (its --json report, or --heads-out) are still there.", valueName: "file"))
    var heads: String?

    @Option(help: ArgumentHelp("Write the stream heads to this file, when the verification passes.", valueName: "file"))
    var headsOut: String?

    func run() async throws {
        let report = try await reporting { () -> Verification.Report in
            let configuration = try options.configuration()
            let logger = try options.makeLogger()
            let database = Database(conninfo: configuration.databaseURL, maxConnections: 3, logger: logger)
            defer { Task { await database.close() } }
            let stream = try patient.map { text -> String in
                guard let id = UUID(uuidString: text) else { throw ValidationError("--patient takes a patient id") }
                return StreamName.patient(id)
            }
            let recorded = try heads.map { path -> StreamHeads in
                guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
                guard let heads = StreamHeads.decode(data) else {
                    throw ValidationError("\(path) holds no stream heads: give a `varde verify --json` report or its heads")
                }
                return heads
            }
            let lastLine = LastLine()
            return try await Verification(database: database, logger: logger).run(stream: stream, heads: recorded) { line in
                lastLine.print(line)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if json {
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            for b in report.chainBreaks { print("BROKEN CHAIN  \(b)") }
            for d in report.projectionDifferences ?? [] { print("PROJECTION    \(d)") }
            for d in report.alertDifferences { print("ALERT RULES   \(d)") }
            print(
                "\(report.passed ? "OK" : "FAILED"): \(report.streams) streams, \(report.events) events, "
                    + "\(report.chainBreaks.count) broken chains, \(report.projectionDifferences?.count ?? 0) projection differences, "
                    + "\(report.alertDifferences.count) alert differences"
                    + (report.headsChecked.map { ", \($0) recorded heads checked" } ?? "")
                    + ", \(String(format: "%.2f", report.seconds)) s")
        }
        if let headsOut {
            // Heads of a log that fails verification would bless the damage: only a clean run's are kept.
            if report.passed {
                guard FileManager.default.createFile(atPath: headsOut, contents: try encoder.encode(report.heads)) else {
                    throw ValidationError("cannot write \(headsOut)")
                }
            } else {
                FileHandle.standardError.write(Data("verification failed: \(headsOut) not written\n".utf8))
            }
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
