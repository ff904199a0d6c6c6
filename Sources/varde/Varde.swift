import ArgumentParser

@main
struct Varde: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "varde",
        abstract: "Event-sourced server for digital home follow-up (DHO).",
        subcommands: [
            Serve.self, Migrate.self, Token.self, Gateway.self, Projections.self, Verify.self, Export.self, ClientKeyCommand.self,
            Simulate.self,
        ])
}
