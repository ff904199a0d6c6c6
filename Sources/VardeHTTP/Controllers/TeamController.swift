import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// `POST /v1/teams` (admin): kommune and sykehus teams; `GET /v1/teams/{id}`
/// for admins and the team's own staff (others get 404).
struct TeamController {
    let services: AppServices
    let guardian: Guard

    struct CreateTeam: Decodable {
        var name: String
        var kind: String
        var kommunenummer: String?
        var healthTrust: String?
    }

    struct TeamBody: Encodable {
        var id: UUID
        var name: String
        var kind: String
        var kommunenummer: String?
        var healthTrust: String?
    }

    func register(_ routes: RouteTable) {
        routes.on(.post, "/v1/teams", .createTeam, create)
        routes.on(.get, "/v1/teams/{teamId}", .readTeam, read)
    }

    @Sendable func create(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let body = try await RequestBody.decode(CreateTeam.self, from: request)
        let event = try Self.validate(body, id: try IdempotencyKey.id(for: request, caller: caller, scope: "team"))
        let metadata = guardian.metadata(caller, context: context)
        let stream = StreamName.team(event.teamId)
        do {
            let appended = try await services.store.append(
                to: stream, expected: .noStream,
                [
                    NewEvent(id: UUID(), type: TeamCreated.type, data: AdminEvent.teamCreated(event).encode(), metadata: metadata)
                ])
            await services.awaitProjection(appended.last?.position ?? 0)
        } catch AppendError.versionConflict {
            // The same Idempotency-Key made this team before: the same request
            // is answered as the first was, another is refused.
            let stored = try await services.store.read(stream: stream, through: 1).map {
                try AdminEvent.decode(type: $0.type, schemaVersion: $0.schemaVersion, data: $0.data)
            }
            guard case .teamCreated(let first)? = stored.first else { throw Problem.conflict("the team changed; retry") }
            if let field = first.difference(from: event) { throw Problem.idempotencyKeyReused(field) }
        }
        return try JSONResponse.make(
            TeamBody(
                id: event.teamId, name: event.name, kind: event.kind.rawValue, kommunenummer: event.kommunenummer,
                healthTrust: event.healthTrust),
            status: .created, headers: [.location: "/v1/teams/\(event.teamId.lowercasedText)"])
    }

    @Sendable func read(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let id = try context.parameters.uuid("teamId")
        if caller.role != .admin { try guardian.team(id, for: caller) }
        guard let team = try await services.database.read({ try $0.team(id) }) else { throw Problem.notFound("team") }
        return try JSONResponse.make(
            TeamBody(
                id: team.id, name: team.name, kind: team.kind, kommunenummer: team.kommunenummer,
                healthTrust: team.healthTrust))
    }

    static func validate(_ body: CreateTeam, id: UUID) throws -> TeamCreated {
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200, TextRules.isSingleLine(name) else {
            throw Problem.invalid("name must be 1–200 characters on one line", pointer: "/name")
        }
        guard let kind = TeamCreated.Kind(rawValue: body.kind) else {
            throw Problem.invalid("kind must be kommune or sykehus", pointer: "/kind")
        }
        var kommunenummer: String?
        if let given = body.kommunenummer {
            kommunenummer = try Kommunenummer(given).value
        } else if kind == .kommune {
            throw Problem.invalid("a kommune team needs its 4-digit kommunenummer", pointer: "/kommunenummer")
        }
        let healthTrust = body.healthTrust?.trimmingCharacters(in: .whitespacesAndNewlines)
        if kind == .sykehus, healthTrust?.isEmpty ?? true {
            throw Problem.invalid("a sykehus team needs the health trust (helseforetak) it belongs to", pointer: "/healthTrust")
        }
        guard (healthTrust?.count ?? 0) <= 200, TextRules.isSingleLine(healthTrust ?? "") else {
            throw Problem.invalid("healthTrust must be at most 200 characters on one line", pointer: "/healthTrust")
        }
        return TeamCreated(teamId: id, name: name, kind: kind, kommunenummer: kommunenummer, healthTrust: healthTrust)
    }
}
