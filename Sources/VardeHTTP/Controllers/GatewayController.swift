import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// Admin endpoints for device gateways and their API keys.
struct GatewayController {
    let services: AppServices
    let guardian: Guard
    var admin: GatewayAdmin { GatewayAdmin(store: services.store) }

    struct CreateGateway: Decodable {
        var name: String
        /// The teams whose patients the gateway serves; it posts for no one else.
        var teams: [UUID]?
    }
    struct AssignTeams: Decodable { var teams: [UUID] }
    struct TeamsBody: Encodable {
        var gatewayId: UUID
        var teams: [UUID]
    }

    func register(_ routes: RouteTable) {
        routes.on(.post, "/v1/gateways", .createGateway, create)
        routes.on(.put, "/v1/gateways/{gatewayId}/teams", .assignGatewayTeams, assignTeams)
        routes.on(.post, "/v1/gateways/{gatewayId}/keys", .issueGatewayKey, issueKey)
        routes.on(.delete, "/v1/gateways/{gatewayId}/keys/{keyId}", .revokeGatewayKey, revokeKey)
    }

    @Sendable func create(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let body = try await RequestBody.decode(CreateGateway.self, from: request)
        let (issued, position) = try await admin.register(
            name: body.name, teams: body.teams ?? [], metadata: guardian.metadata(caller, context: context), now: services.now)
        await services.awaitProjection(position)
        return try JSONResponse.make(issued, status: .created)
    }

    @Sendable func assignTeams(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let id = try context.parameters.uuid("gatewayId")
        let body = try await RequestBody.decode(AssignTeams.self, from: request)
        let (teams, position) = try await admin.assignTeams(
            gateway: id, teams: body.teams, metadata: guardian.metadata(caller, context: context), now: services.now)
        await services.awaitProjection(position)
        return try JSONResponse.make(TeamsBody(gatewayId: id, teams: teams))
    }

    @Sendable func issueKey(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let id = try context.parameters.uuid("gatewayId")
        let (issued, position) = try await admin.issueKey(
            gateway: id, metadata: guardian.metadata(caller, context: context), now: services.now)
        await services.awaitProjection(position)
        return try JSONResponse.make(issued, status: .created)
    }

    @Sendable func revokeKey(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let id = try context.parameters.uuid("gatewayId")
        let keyID = try context.parameters.require("keyId")
        let position = try await admin.revokeKey(
            gateway: id, keyID: keyID, metadata: guardian.metadata(caller, context: context), now: services.now)
        await services.awaitProjection(position)
        // Refused from here on by this instance; others learn it from the projector's NOTIFY.
        services.gatewayKeys.invalidate()
        return Response(status: .noContent)
    }
}

extension Parameters {
    /// A UUID path parameter; a malformed one is a 404 (no such resource).
    func uuid(_ name: String) throws -> UUID {
        guard let text = self.get(name), let id = UUID(uuidString: text) else {
            throw Problem.notFound(name.replacingOccurrences(of: "Id", with: ""))
        }
        return id
    }
}
