import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import VardeAuth
import VardeHTTP
import VardeStore
import VardeTestSupport

/// The real application (every service: projector, listener, sweep) on a
/// schema of its own in the test PostgreSQL, driven through the router. The
/// application connects as `varde_runtime`, the role `varde serve` runs as in
/// production, so every HTTP test also shows that role's grants suffice; the
/// client's `database` (seeding, inspecting, tampering) is the schema's owner.
enum TestApp {
    static let dataDirectory = FileManager.default.temporaryDirectory.appending(path: "varde-http-tests").path

    static var configuration: Configuration {
        var c = Configuration()
        c.devAuth = true
        c.dataDirectory = dataDirectory
        c.sweepInterval = 3600
        return c
    }

    static func run(
        configure: (inout Configuration) -> Void = { _ in }, logger: Logger = TestDatabase.logger,
        checkoutTimeout: Duration = .seconds(30), _ body: @escaping @Sendable (Client) async throws -> Void
    ) async throws {
        var configuration = configuration
        configure(&configuration)
        try await TestDatabase.with(maxConnections: 5) { database, schema in
            let runtime = TestDatabase.database(
                schema, as: TestDatabase.runtimeRole, maxConnections: 5, checkoutTimeout: checkoutTimeout)
            do {
                let app = try await buildApplication(configuration, logger: logger, database: runtime)
                try await app.test(.router) { client in
                    try await body(Client(client: client, database: database, runtime: runtime))
                }
            } catch {
                await runtime.close()
                throw error
            }
            await runtime.close()
        }
    }

    static func token(_ role: StaffRole, teams: [UUID] = [], subject: String? = nil, ttl: TimeInterval = 600) throws -> String {
        let key = try DevelopmentKey.loadOrCreate(at: StaffTokens.developmentKeyPath(configuration))
        return key.sign(subject: subject ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8))", role: role, teams: teams, ttl: ttl)
    }
}

/// A test client with JSON helpers and seeding shortcuts.
struct Client: Sendable {
    let client: any TestClientProtocol
    /// The schema owner's pool, for checks and seeding beside the server.
    let database: Database
    /// The server's own pool (its request connections).
    let runtime: Database

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: Data
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    @discardableResult
    func request(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: Any? = nil, raw: String? = nil,
        bytes: [UInt8]? = nil, contentType: String = "application/json", headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = contentType
        } else if let raw {
            body = ByteBuffer(string: raw)
            headers[.contentType] = contentType
        } else if let bytes {
            body = ByteBuffer(bytes: bytes)
            headers[.contentType] = contentType
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    // MARK: Seeding through the API itself

    func createTeam(_ kind: String = "kommune", admin: String) async throws -> UUID {
        let body: [String: Any] =
            kind == "kommune"
            ? ["name": "Oppfølging \(UUID().uuidString.prefix(4))", "kind": "kommune", "kommunenummer": "5001"]
            : ["name": "Poliklinikk \(UUID().uuidString.prefix(4))", "kind": "sykehus", "healthTrust": "St. Olavs hospital HF"]
        let reply = try await request(.post, "/v1/teams", token: admin, json: body)
        guard reply.status == .created, let id = (reply.object["id"] as? String).flatMap(UUID.init(uuidString:)) else {
            throw SeedError("createTeam: \(reply.status) \(reply.text)")
        }
        return id
    }

    /// A gateway serving `teams`, and its API key.
    func createGateway(admin: String, teams: [UUID]) async throws -> (id: UUID, key: String) {
        let reply = try await request(.post, "/v1/gateways", token: admin, json: ["name": "Hub", "teams": teams.map(\.uuidString)])
        guard reply.status == .created, let key = reply.object["apiKey"] as? String,
            let id = (reply.object["gatewayId"] as? String).flatMap(UUID.init(uuidString:))
        else {
            throw SeedError("createGateway: \(reply.status) \(reply.text)")
        }
        return (id, key)
    }

    func enroll(nationalID: String, program: String = "kols", kommune: UUID, sykehus: UUID?, clinician: String) async throws -> UUID {
        var teams = ["kommune": kommune.uuidString]
        if let sykehus { teams["sykehus"] = sykehus.uuidString }
        let reply = try await request(
            .post, "/v1/patients", token: clinician,
            json: [
                "nationalId": nationalID, "kommunenummer": "5001", "program": program, "teams": teams,
            ])
        guard reply.status == .created, let id = (reply.object["id"] as? String).flatMap(UUID.init(uuidString:)) else {
            throw SeedError("enroll: \(reply.status) \(reply.text)")
        }
        return id
    }

    func bind(_ serial: String, kind: String = "pulseOximeter", to patient: UUID, clinician: String) async throws {
        let reply = try await request(.post, "/v1/patients/\(patient)/devices", token: clinician, json: ["serial": serial, "kind": kind])
        guard reply.status == .created else { throw SeedError("bind: \(reply.status) \(reply.text)") }
    }
}

/// A ready world: two kommune teams, one sykehus team, a gateway, tokens for
/// every role, and one enrolled kols patient with a bound oximeter `OX-1`.
struct World: Sendable {
    var kommune: UUID
    var otherKommune: UUID
    var sykehus: UUID
    var gateway: UUID
    var gatewayKey: String
    var admin: String
    var clinician: String
    var nurse: String
    var sykehusNurse: String
    var otherNurse: String
    var otherClinician: String
    var auditor: String
    var patient: UUID

    static let nationalIDs = ["31129956715", "29100207042", "43022014103", "10915596784"]

    static func make(_ client: Client, nationalID: String = nationalIDs[0]) async throws -> World {
        let admin = try TestApp.token(.admin)
        let kommune = try await client.createTeam("kommune", admin: admin)
        let otherKommune = try await client.createTeam("kommune", admin: admin)
        let sykehus = try await client.createTeam("sykehus", admin: admin)
        let gateway = try await client.createGateway(admin: admin, teams: [kommune])
        let clinician = try TestApp.token(.clinician, teams: [kommune], subject: "clinician-1")
        let patient = try await client.enroll(nationalID: nationalID, kommune: kommune, sykehus: sykehus, clinician: clinician)
        try await client.bind("OX-1", to: patient, clinician: clinician)
        return World(
            kommune: kommune, otherKommune: otherKommune, sykehus: sykehus, gateway: gateway.id, gatewayKey: gateway.key,
            admin: admin, clinician: clinician, nurse: try TestApp.token(.nurse, teams: [kommune], subject: "nurse-1"),
            sykehusNurse: try TestApp.token(.nurse, teams: [sykehus], subject: "nurse-sykehus"),
            otherNurse: try TestApp.token(.nurse, teams: [otherKommune], subject: "nurse-other"),
            otherClinician: try TestApp.token(.clinician, teams: [otherKommune], subject: "clinician-other"),
            auditor: try TestApp.token(.auditor, subject: "auditor-1"), patient: patient)
    }

    /// RFC 3339 for a moment relative to now (readings must follow the binding).
    static func time(_ offset: TimeInterval = 0) -> String {
        ISO8601DateFormatter().string(from: Date().addingTimeInterval(offset))
    }
}

struct SeedError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
