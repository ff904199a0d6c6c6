import ArgumentParser

@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "varde-bench",
        abstract: "Benchmarks that print figures (run against a durable database: fsync on).",
        subcommands: [BenchAppend.self, BenchIngest.self, BenchAlerts.self, BenchSoak.self, BenchRebuild.self, BenchVerify.self])
}
