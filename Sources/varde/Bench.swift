import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print figures (run against a durable database: fsync on).",
        subcommands: [BenchAppend.self, BenchIngest.self, BenchAlerts.self, BenchRebuild.self, BenchVerify.self])
}
