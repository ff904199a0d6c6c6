import Foundation
import VardeCore
import VardeStore

/// Checks on the teams a patient is placed in.
enum TeamRules {
    /// Both teams exist with the right kind; an enrolling clinician must belong to one of them.
    static func check(_ kommune: UUID, _ sykehus: UUID?, caller: Caller?, database: Database) async throws {
        let kinds = try await database.read { try $0.teamKinds([kommune] + (sykehus.map { [$0] } ?? [])) }
        guard kinds[kommune] == "kommune" else { throw Problem.invalid("no kommune team with this id", pointer: "/teams/kommune") }
        if let sykehus, kinds[sykehus] != "sykehus" { throw Problem.invalid("no sykehus team with this id", pointer: "/teams/sykehus") }
        if let caller, !caller.teams.contains(kommune), !(sykehus.map(caller.teams.contains) ?? false) {
            throw Problem(.forbidden, type: "forbidden", title: "Forbidden", detail: "patients can only be enrolled into your own teams")
        }
    }
}
