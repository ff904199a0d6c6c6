import ArgumentParser
import Foundation
import VardeAuth
import VardeHTTP

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Development tokens (trusted only by `varde serve --dev-auth`).", subcommands: [Issue.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a token signed with the development key.")

        @Option(help: "nurse, clinician, auditor or admin.")
        var role: String

        @Option(help: "A team id the caller belongs to (repeat for several).")
        var team: [String] = []

        @Option(help: "The caller's subject (who they are).")
        var subject: String = "dev-user"

        @Option(help: "Lifetime, e.g. 30m, 1h, 8h.")
        var ttl: String = "1h"

        @Option(name: .customLong("data-dir"), help: "Project-local data folder (default: VARDE_DATA_DIR or .varde).")
        var dataDirectory: String?

        func run() throws {
            guard let role = StaffRole(rawValue: role) else { throw ValidationError("role must be nurse, clinician, auditor or admin") }
            let teams = try team.map { text -> UUID in
                guard let id = UUID(uuidString: text) else { throw ValidationError("--team takes a team id (UUID)") }
                return id
            }
            guard let seconds = Self.duration(ttl) else { throw ValidationError("--ttl takes e.g. 30m, 1h or 3600s") }
            let configuration = try Configuration.resolve(
                flags: dataDirectory.map { ["--data-dir": $0] } ?? [:], environment: ProcessInfo.processInfo.environment)
            let key = try DevelopmentKey.loadOrCreate(at: StaffTokens.developmentKeyPath(configuration))
            print(key.sign(subject: subject, role: role, teams: teams, ttl: seconds))
        }

        static func duration(_ text: String) -> TimeInterval? {
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
            guard let unit = text.last, let factor = units[unit], let n = Double(text.dropLast()), n > 0 else { return Double(text) }
            return n * factor
        }
    }
}
