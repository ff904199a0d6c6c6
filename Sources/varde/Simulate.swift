import ArgumentParser
import Foundation
import VardeCLI
import VardeHTTP
import VardeSimulation
import VardeSimulator

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Play a seeded fleet of patients and gateways against the real application on a simulated clock (a scratch schema, dropped after), and print the clinical-safety report."
    )

    @OptionGroup var options: DatabaseOptions

    @Option(help: "The seed: the same seed gives the same fleet, readings and deteriorations.")
    var seed: UInt64 = 1

    @Option(help: "Patients in the fleet.")
    var patients = 300

    @Option(help: "Simulated days (the first two weeks, or half the run when shorter, set individual thresholds).")
    var days = 30

    @Option(name: .customLong("report-dir"), help: ArgumentHelp("Write report.md, chart.svg and report.json here.", valueName: "dir"))
    var reportDirectory: String?

    @Flag(help: "Print the report and the figures as JSON instead of markdown.")
    var json = false

    @Option(
        help: ArgumentHelp(
            "Play in real time against a running server started with --dev-auth (its development key from --data-dir), programme defaults only.",
            valueName: "url"))
    var live: String?

    @Option(name: .customLong("data-dir"), help: "Where the development key is, for --live (default: VARDE_DATA_DIR or .varde).")
    var dataDirectory: String?

    @Option(help: "Requests in flight at once.")
    var concurrency = 16

    @Flag(name: .customLong("no-progress"), help: "No progress bar on standard error.")
    var noProgress = false

    func validate() throws {
        guard (1...5000).contains(patients) else { throw ValidationError("--patients takes 1 to 5000") }
        guard (4...365).contains(days) else { throw ValidationError("--days takes 4 to 365") }
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency takes 1 to 256") }
        if let live, URL(string: live)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            throw ValidationError("--live takes the server's base URL, e.g. http://127.0.0.1:8080")
        }
    }

    func run() async throws { try await reporting { try await runCommand() } }

    func runCommand() async throws {
        let configuration = try options.configuration(adding: dataDirectory.map { ["--data-dir": $0] } ?? [:])
        var logger = try options.makeLogger()
        // Each request's log line would drown the report: warnings and worse unless asked.
        if options.logLevel == nil, ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil { logger.logLevel = .warning }
        let result: Simulation.Result
        if let live {
            let config = SimulationConfig(seed: seed, patients: patients, days: days, start: Self.lastLocalMidnight(Date()))
            let options = Simulation.Options(config: config, arms: [.defaults], concurrency: concurrency, progress: !noProgress)
            result = try await Simulation.live(options, url: live, developmentKey: StaffTokens.developmentKeyPath(configuration))
        } else {
            let scratch = ScratchSchemas(
                conninfo: configuration.databaseURL, sqlDirectory: configuration.sqlDirectory, connections: 8, logger: logger)
            let options = Simulation.Options(
                config: SimulationConfig(seed: seed, patients: patients, days: days), concurrency: concurrency, progress: !noProgress)
            result = try await Simulation.run(options, configuration: configuration, scratch: scratch, logger: logger)
        }
        if let reportDirectory { try result.write(to: reportDirectory) }
        if json {
            print(String(decoding: try result.json(), as: UTF8.self))
        } else {
            print(result.report.markdown(chart: reportDirectory.map { _ in "chart.svg" }))
            print(result.figuresText())
            if let reportDirectory { print("Written to \(reportDirectory)/report.md, chart.svg and report.json.") }
        }
    }

    /// Midnight in Norway (winter time) at or before `now`: the daily rhythm counts from it.
    static func lastLocalMidnight(_ now: Date) -> Date {
        let local = now.timeIntervalSince1970 + SimulationConfig.localOffset
        return Date(timeIntervalSince1970: (local / 86_400).rounded(.down) * 86_400 - SimulationConfig.localOffset)
    }
}
