import Foundation
import VardeCore

/// A team as registered.
public struct TeamRow: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var kind: String
    public var kommunenummer: String?
    public var healthTrust: String?
}

extension ReadSession {
    public func team(_ id: UUID) throws -> TeamRow? {
        let r = try connection.query("SELECT name, kind, kommunenummer, health_trust FROM teams WHERE id = $1", [id])
        guard r.rowCount == 1 else { return nil }
        return TeamRow(
            id: id, name: try r.requireString(0, 0), kind: try r.requireString(0, 1), kommunenummer: r.string(0, 2),
            healthTrust: r.string(0, 3))
    }

    /// The kind (`kommune`, `sykehus`) of each of the teams that exist.
    public func teamKinds(_ ids: [UUID]) throws -> [UUID: String] {
        let r = try connection.query("SELECT id, kind FROM teams WHERE id = ANY($1::uuid[])", [PGArray.uuid(ids)])
        return Dictionary(try r.rows { (try r.requireUUID($0, 0), try r.requireString($0, 1)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Every team, by name (the development sign-in page offers them).
    public func allTeams() throws -> [TeamRow] {
        let r = try connection.query("SELECT id, name, kind, kommunenummer, health_trust FROM teams ORDER BY name, id")
        return try r.rows { row in
            TeamRow(
                id: try r.requireUUID(row, 0), name: try r.requireString(row, 1), kind: try r.requireString(row, 2),
                kommunenummer: r.string(row, 3), healthTrust: r.string(row, 4))
        }
    }
}
