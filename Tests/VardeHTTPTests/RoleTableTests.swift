import Foundation
import Hummingbird
import Testing
import VardeHTTP

typealias RouteOperation = VardeHTTP.Operation

@Suite("Authorisation: every route against every role", .serialized)
struct RoleTableTests {
    /// The issue's table, written out independently of `RouteOperation.roles`.
    static let expected: [RouteOperation: Set<Caller.Role>] = {
        var table: [RouteOperation: Set<Caller.Role>] = [:]
        for op in [RouteOperation.createTeam, .createGateway, .assignGatewayTeams, .issueGatewayKey, .revokeGatewayKey] {
            table[op] = [.admin]
        }
        table[.readTeam] = [.admin, .nurse, .clinician]
        for op in [
            RouteOperation.enrollPatient, .dischargePatient, .assignTeams, .bindDevice, .unbindDevice, .setThresholds,
            .previewThresholds, .setRouting, .setPatientIdentifiers,
        ] {
            table[op] = [.clinician]
        }
        for op in [
            RouteOperation.readPatient, .searchPatients, .readReadings, .voidReading, .readTeamAlerts, .readWorklist,
            .readPatientAlerts, .readThresholdHistory, .acknowledgeAlert, .escalateAlert, .resolveAlert, .searchFHIRObservations,
            .readFHIRObservation,
        ] {
            table[op] = [.nurse, .clinician]
        }
        for op in [RouteOperation.postReadings, .postFHIRObservation, .postFHIRBundle] { table[op] = [.gateway] }
        // What a PHD Bundle response points at: staff of the patient's teams, and gateways serving them.
        for op in [RouteOperation.readFHIRPatient, .readFHIRDevice] { table[op] = [.nurse, .clinician, .gateway] }
        for op in [RouteOperation.auditEvents, .auditView, .auditAlertExplanation, .auditVerify, .auditAccessLog] { table[op] = [.auditor] }
        return table
    }()

    @Test("the role table matches the issue, every operation has a route and every route an operation")
    func tableIsComplete() {
        let routes = registeredRoutes()
        #expect(
            Set(routes.map(\.operation)) == Set(RouteOperation.allCases), "operations without a route, or routes outside RouteOperation")
        #expect(Set(routes.map { "\($0.method) \($0.path)" }).count == routes.count, "a route is registered twice")
        for operation in RouteOperation.allCases {
            #expect(operation.roles == Self.expected[operation], "\(operation.rawValue)")
        }
        for route in routes where route.operation.roles.contains(.auditor) {
            #expect(route.method == "GET", "auditors change nothing: \(route.method) \(route.path)")
        }
        for route in routes where route.operation.roles.contains(.admin) {
            #expect(route.operation.auditAction == nil && !route.path.contains("patient"), "admins read no patient data: \(route.path)")
        }
    }

    @Test("no credentials 401, a role outside the table 403, a role inside it gets past authorisation")
    func everyRouteEveryRole() async throws {
        try await TestApp.run { client in
            let s = try await AccessScenario.make(client)
            let w = s.world
            let callers: [(role: Caller.Role?, token: String?)] = [
                (nil, nil), (.gateway, w.gatewayKey), (.nurse, w.nurse), (.clinician, w.clinician), (.auditor, w.auditor),
                (.admin, w.admin),
            ]
            let routes = registeredRoutes()
            #expect(routes.count >= 25)
            // Changes that would end the scenario early (discharge) run last.
            for route in routes.sorted(by: { ($0.operation == .dischargePatient ? 1 : 0) < ($1.operation == .dischargePatient ? 1 : 0) }) {
                let method = HTTPRequest.Method(route.method)!
                let path = s.fill(route.path)
                for (role, token) in callers {
                    let reply = try await client.request(
                        method, path, token: token, json: method == .post || method == .put ? [String: Any]() : nil)
                    let label =
                        "\(route.method) \(route.path) as \(role?.rawValue ?? "anonymous"): \(reply.status.code) \(reply.text.prefix(160))"
                    switch role {
                    case nil:
                        #expect(reply.status == .unauthorized, "\(label)")
                        #expect(reply.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(label)")
                    case let role? where route.operation.roles.contains(role):
                        #expect(reply.status != .unauthorized && reply.status != .forbidden && reply.status.code < 500, "\(label)")
                    case _?:
                        #expect(reply.status == .forbidden, "\(label)")
                    }
                }
            }
        }
    }
}

/// A request of a nurse or clinician of another kommune on this patient or team.
struct CrossTeamCase: Sendable, CustomTestStringConvertible {
    var name: String
    var operation: RouteOperation
    var method: HTTPRequest.Method
    var path: @Sendable (AccessScenario) -> String
    var body: @Sendable (AccessScenario) -> String? = { _ in nil }
    var testDescription: String { name }

    static let all: [CrossTeamCase] = [
        .init(name: "patient view", operation: .readPatient, method: .get, path: { "/v1/patients/\($0.world.patient)" }),
        .init(name: "readings", operation: .readReadings, method: .get, path: { "/v1/patients/\($0.world.patient)/readings" }),
        .init(
            name: "alert history", operation: .readPatientAlerts, method: .get, path: { "/v1/patients/\($0.world.patient)/alerts" }),
        .init(
            name: "threshold history", operation: .readThresholdHistory, method: .get,
            path: { "/v1/patients/\($0.world.patient)/thresholds" }),
        .init(
            name: "void a reading", operation: .voidReading, method: .post, path: { "/v1/readings/\($0.readingID)/void" },
            body: { _ in #"{"reason":"feil pasient"}"# }),
        .init(
            name: "discharge", operation: .dischargePatient, method: .post, path: { "/v1/patients/\($0.world.patient)/discharge" },
            body: { _ in #"{"reason":"ferdig"}"# }),
        .init(
            name: "bind a device", operation: .bindDevice, method: .post, path: { "/v1/patients/\($0.world.patient)/devices" },
            body: { _ in #"{"serial":"BP-9","kind":"bloodPressureMonitor"}"# }),
        .init(
            name: "unbind a device", operation: .unbindDevice, method: .delete, path: { "/v1/patients/\($0.world.patient)/devices/OX-1" }),
        .init(
            name: "set thresholds", operation: .setThresholds, method: .put, path: { "/v1/patients/\($0.world.patient)/thresholds" },
            body: { #"{"thresholds":\#($0.thresholdsJSON),"reason":"justert"}"# }),
        .init(
            name: "preview thresholds", operation: .previewThresholds, method: .post,
            path: { "/v1/patients/\($0.world.patient)/thresholds/preview" },
            body: { #"{"thresholds":\#($0.thresholdsJSON),"days":7}"# }),
        .init(
            name: "register identifiers", operation: .setPatientIdentifiers, method: .put,
            path: { "/v1/patients/\($0.world.patient)/identifiers" },
            body: { _ in #"{"identifiers":[{"system":"urn:oid:2.999.1.2.3","value":"hub-pasient-7"}]}"# }),
        .init(
            name: "set routing", operation: .setRouting, method: .put, path: { "/v1/patients/\($0.world.patient)/routing" },
            body: { _ in #"{"routing":"yellowAlsoToSykehus"}"# }),
        .init(
            name: "move to other teams", operation: .assignTeams, method: .put, path: { "/v1/patients/\($0.world.patient)/teams" },
            body: { #"{"kommune":"\#($0.world.otherKommune)"}"# }),
        .init(name: "acknowledge", operation: .acknowledgeAlert, method: .post, path: { "/v1/alerts/\($0.alertID)/acknowledge" }),
        .init(name: "escalate", operation: .escalateAlert, method: .post, path: { "/v1/alerts/\($0.alertID)/escalate" }),
        .init(name: "resolve", operation: .resolveAlert, method: .post, path: { "/v1/alerts/\($0.alertID)/resolve" }),
        .init(
            name: "FHIR search", operation: .searchFHIRObservations, method: .get,
            path: { "/fhir/Observation?patient=Patient/\($0.world.patient)" }),
        .init(name: "FHIR read", operation: .readFHIRObservation, method: .get, path: { "/fhir/Observation/\($0.readingID)" }),
        .init(name: "FHIR Patient read", operation: .readFHIRPatient, method: .get, path: { "/fhir/Patient/\($0.world.patient)" }),
        .init(name: "FHIR Device read", operation: .readFHIRDevice, method: .get, path: { _ in "/fhir/Device/OX-1" }),
        .init(name: "team alert feed", operation: .readTeamAlerts, method: .get, path: { "/v1/teams/\($0.world.kommune)/alerts" }),
        .init(name: "team", operation: .readTeam, method: .get, path: { "/v1/teams/\($0.world.kommune)" }),
        .init(name: "team worklist", operation: .readWorklist, method: .get, path: { "/v1/teams/\($0.world.kommune)/patients" }),
    ]
}

@Suite("Authorisation: nurses and clinicians of another kommune", .serialized)
struct CrossTeamTests {
    @Test(
        "404 for the other kommune's staff, nothing stored and only the denied attempt logged; the patient's own team passes",
        arguments: CrossTeamCase.all)
    func otherKommuneGets404(_ testCase: CrossTeamCase) async throws {
        try await TestApp.run { client in
            let s = try await AccessScenario.make(client)
            let outsiders = [(Caller.Role.nurse, s.world.otherNurse), (.clinician, s.world.otherClinician)]
                .filter { testCase.operation.roles.contains($0.0) }
            #expect(!outsiders.isEmpty)
            let events = try await client.count("SELECT count(*) FROM events")
            for (role, token) in outsiders {
                let reply = try await client.request(testCase.method, testCase.path(s), token: token, raw: testCase.body(s))
                #expect(reply.status == .notFound, "\(role.rawValue): \(reply.status.code) \(reply.text.prefix(200))")
            }
            #expect(try await client.count("SELECT count(*) FROM events") == events, "an outsider's request stored events")
            // Attempts on a patient are logged as denied (Normen); team-level reads name no patient.
            let attempts = try await client.accessLog().filter { $0.subject.hasSuffix("-other") }
            let teamLevel: Set<RouteOperation> = [.readTeamAlerts, .readTeam, .readWorklist]
            #expect(attempts.allSatisfy { $0.outcome == "denied" && $0.patient == s.world.patient }, "\(attempts)")
            #expect(attempts.count == (teamLevel.contains(testCase.operation) ? 0 : outsiders.count), "\(attempts)")
            // The same request from the patient's own team succeeds.
            let own = try await client.request(testCase.method, testCase.path(s), token: s.world.clinician, raw: testCase.body(s))
            #expect((200..<300).contains(own.status.code), "own team: \(own.status.code) \(own.text.prefix(200))")
        }
    }

    @Test("an outsider cannot tell another team's alert or reading from one that does not exist")
    func noExistenceLeak() async throws {
        try await TestApp.run { client in
            let s = try await AccessScenario.make(client)
            for (existing, missing, body) in [
                ("/v1/alerts/\(s.alertID)/acknowledge", "/v1/alerts/\(UUID())/acknowledge", #"{"note":"x"}"#),
                ("/v1/readings/\(s.readingID)/void", "/v1/readings/\(UUID())/void", #"{"reason":"x"}"#),
            ] {
                let a = try await client.request(.post, existing, token: s.world.otherNurse, raw: body)
                let b = try await client.request(.post, missing, token: s.world.otherNurse, raw: body)
                #expect(a.status == .notFound && b.status == .notFound)
                #expect(a.text == b.text, "\(a.text) vs \(b.text)")
            }
        }
    }

    @Test("search by national identifier finds nothing outside the caller's teams; the sykehus team sees the patient")
    func searchAndSykehus() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let search = ["nationalId": World.nationalIDs[0]]
            let other = try await client.request(.post, "/v1/patients/search", token: w.otherNurse, json: search)
            #expect(other.status == .ok)
            #expect((other.object["patients"] as? [Any])?.isEmpty == true)
            let own = try await client.request(.post, "/v1/patients/search", token: w.nurse, json: search)
            #expect((own.object["patients"] as? [Any])?.count == 1)
            let sykehus = try await client.request(.get, "/v1/patients/\(w.patient)", token: w.sykehusNurse)
            #expect(sykehus.status == .ok)
            let otherTeam = try await client.request(.get, "/v1/teams/\(w.otherKommune)/patients", token: w.nurse)
            #expect(otherTeam.status == .notFound)
        }
    }
}
