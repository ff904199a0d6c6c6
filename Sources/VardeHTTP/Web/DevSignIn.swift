import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// With `--dev-auth` and no identity provider only: a page that signs in as
/// any nurse or clinician of any team, by name. Every page then carries the
/// DEVELOPMENT banner, and the sessions it makes are marked `development`.
struct DevSignIn: Sendable {
    struct TeamChoice: Encodable {
        var id: UUID
        var name: String
        var kind: String
    }

    /// The teams to choose from (`GET /app/dev/teams`).
    func teams(_ services: AppServices) async throws -> Response {
        let teams = try await services.database.read { try $0.allTeams() }
        return try JSONResponse.make(["teams": teams.map { TeamChoice(id: $0.id, name: $0.name, kind: $0.kind) }])
    }

    /// `POST /app/dev-login`, a form: role, team, name (and where to go after).
    func post(_ request: Request, context: AppContext, web: WebApp, services: AppServices) async throws -> Response {
        try WebController.requireSameOrigin(request)
        let body = try await RequestBody.collect(request, accepting: ["application/x-www-form-urlencoded"], limit: 4096)
        let form = Self.form(String(buffer: body))
        guard let role = form["role"], role == "nurse" || role == "clinician" else {
            throw Problem.invalid("role must be nurse or clinician", pointer: "/role")
        }
        guard let team = form["team"].flatMap(UUID.init(uuidString:)),
            try await services.database.read({ try $0.team(team) }) != nil
        else { throw Problem.invalid("choose a team that exists", pointer: "/team") }
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.count), TextRules.isSingleLine(name) else {
            throw Problem.invalid("name must be 1–100 characters on one line", pointer: "/name")
        }
        let subject = "dev-" + name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        let entry = WebApp.accessEntry("webSignIn", subject: subject, role: role, teams: [team], request: request, context: context)
        try await services.database.read { try $0.logAccess([entry]) }
        let session = try await web.startSession(
            subject: subject, role: role, teams: [team], name: name, development: true, now: services.now)
        return Response(
            status: .seeOther,
            headers: [.location: WebApp.returnPath(form["return"]), .setCookie: WebCookies.sessionCookie(session)])
    }

    /// `application/x-www-form-urlencoded` into its fields (the first of each name).
    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let name = parts.first, fields[name] == nil else { continue }
            fields[name] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }
}
