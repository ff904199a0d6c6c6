import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VardeAuth
import VardeCore
import VardeHTTP
import VardeStore
import VardeTestSupport

/// Issue 15: the limits a public service needs, each enforced.
@Suite("HTTP: limits")
struct LimitsTests {
    @Test("long polls: beyond the caller's cap and the total cap a poll is 429 with Retry-After; the others are answered")
    func longPollCaps() async throws {
        try await TestApp.run(configure: {
            $0.maxLongPollsPerCaller = 2
            $0.maxLongPolls = 3
        }) { client in
            let w = try await World.make(client)
            let path = "/v1/teams/\(w.kommune)/alerts?wait=2"
            let waiting = (0..<2).map { _ in Task { try await client.request(.get, path, token: w.nurse) } }
            try await Task.sleep(for: .milliseconds(400))
            let third = try await client.request(.get, path, token: w.nurse)
            #expect(third.status == .tooManyRequests && third.headers[.retryAfter] == "5", "\(third.status)")
            // Another nurse of the team may wait (3 in all), a further one may not.
            let another = try TestApp.token(.nurse, teams: [w.kommune], subject: "nurse-2")
            let hers = Task { try await client.request(.get, path, token: another) }
            try await Task.sleep(for: .milliseconds(400))
            let over = try await client.request(.get, path, token: try TestApp.token(.nurse, teams: [w.kommune], subject: "nurse-3"))
            #expect(over.status == .tooManyRequests)
            // A poll that does not wait is never refused.
            #expect(try await client.request(.get, "/v1/teams/\(w.kommune)/alerts", token: w.nurse).status == .ok)
            for task in waiting + [hers] { #expect(try await task.value.status == .ok) }
            // Once they are answered the caller may wait again.
            #expect(try await client.request(.get, "/v1/teams/\(w.kommune)/alerts?wait=0.2", token: w.nurse).status == .ok)
        }
    }

    @Test("a waiting poll wakes for its own team's alert at once, and sleeps through another team's")
    func pollsWakeForTheirTeam() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let other = try await client.enroll(
                nationalID: World.nationalIDs[1], kommune: w.otherKommune, sykehus: nil, clinician: w.otherClinician)
            try await client.bind("OX-OTHER", to: other, clinician: w.otherClinician)
            let otherGateway = try await client.createGateway(admin: w.admin, teams: [w.otherKommune])
            let start = try await client.request(.get, "/v1/teams/\(w.kommune)/alerts", token: w.nurse)
            let cursor = start.object["next"] as? String ?? ""
            // The other team's alert does not end this poll early.
            let quiet = Task { () -> (Client.Reply, Duration) in
                let began = ContinuousClock.now
                let reply = try await client.request(.get, "/v1/teams/\(w.kommune)/alerts?after=\(cursor)&wait=1.5", token: w.nurse)
                return (reply, ContinuousClock.now - began)
            }
            try await Task.sleep(for: .milliseconds(300))
            let red: [String: Any] = [
                "id": "o-1", "deviceSerial": "OX-OTHER", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 80,
            ]
            #expect(try await client.request(.post, "/v1/readings", token: otherGateway.key, json: ["readings": [red]]).status == .ok)
            let (reply, took) = try await quiet.value
            #expect((reply.object["alerts"] as? [Any])?.isEmpty == true && took >= .milliseconds(1400), "\(took) \(reply.text)")
            // Its own team's alert ends it within moments.
            let woken = Task { () -> (Client.Reply, Duration) in
                let began = ContinuousClock.now
                let reply = try await client.request(.get, "/v1/teams/\(w.kommune)/alerts?after=\(cursor)&wait=20", token: w.nurse)
                return (reply, ContinuousClock.now - began)
            }
            try await Task.sleep(for: .milliseconds(300))
            let own =
                ["id": "k-1", "deviceSerial": "OX-1", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 80]
                as [String: Any]
            #expect(try await client.request(.post, "/v1/readings", token: w.gatewayKey, json: ["readings": [own]]).status == .ok)
            let (answer, waited) = try await woken.value
            #expect((answer.object["alerts"] as? [Any])?.count == 1 && waited < .seconds(5), "\(waited)")
        }
    }

    @Test("failed sign-ins: after the limit a further failure is 429 with Retry-After; valid credentials still pass")
    func failedSignIns() async throws {
        try await TestApp.run(configure: { $0.authFailuresPerMinute = 5 }) { client in
            let w = try await World.make(client)
            var statuses: [HTTPResponse.Status] = []
            for n in 0..<8 {
                statuses.append(try await client.request(.get, "/v1/patients/\(w.patient)", token: "not.a.jwt\(n)").status)
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized }, "\(statuses)")
            // Past the limit one failure a second is still checked: of three at
            // once (however slow the run), the others are refused.
            async let a = client.request(.get, "/v1/patients/\(w.patient)", token: "still.not.ajwt")
            async let b = client.request(.get, "/v1/patients/\(w.patient)", token: "still.not.bjwt")
            async let c = client.request(.get, "/v1/patients/\(w.patient)", token: "still.not.cjwt")
            let replies = try await [a, b, c]
            let refused = replies.filter { $0.status == .tooManyRequests }
            #expect(refused.count >= 2 && refused.allSatisfy { Int($0.headers[.retryAfter] ?? "") != nil }, "\(replies.map(\.status))")
            #expect(try await client.request(.get, "/v1/patients/\(w.patient)", token: w.nurse).status == .ok)
            // A request without credentials is not a guess: still a plain 401.
            #expect(try await client.request(.get, "/v1/patients/\(w.patient)").status == .unauthorized)
        }
    }

    @Test("an unknown gateway key id is remembered: asked again, it costs no database read")
    func unknownKeysAreCached() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let unknown = GatewayAPIKey.generate().token
            let body = GatewayKeyTests.reading("u-1")
            #expect(try await client.request(.post, "/v1/readings", token: unknown, json: body).status == .unauthorized)
            // The runtime role may no longer read the keys: a read now would fail (503), not answer 401.
            try await client.database.withConnection { try $0.execute("REVOKE SELECT ON gateway_keys FROM varde_runtime") }
            let again = try await client.request(.post, "/v1/readings", token: unknown, json: body)
            try await client.database.withConnection { try $0.execute("GRANT SELECT ON gateway_keys TO varde_runtime") }
            #expect(again.status == .unauthorized, "\(again.status) \(again.text)")
            #expect(try await client.request(.post, "/v1/readings", token: w.gatewayKey, json: body).status == .ok)
        }
    }

    @Test("no free database connection within the checkout timeout: 503 with Retry-After in about two seconds, never a hang")
    func poolExhausted() async throws {
        try await TestApp.run(checkoutTimeout: .seconds(2)) { client in
            let w = try await World.make(client)
            let holder = try client.database.dedicatedConnection()
            try holder.execute("BEGIN")
            try holder.execute("LOCK TABLE patients IN ACCESS EXCLUSIVE MODE")
            let began = ContinuousClock.now
            let replies = (0..<10).map { _ in Task { try await client.request(.get, "/v1/patients/\(w.patient)", token: w.nurse) } }
            var refused: Client.Reply?
            for task in replies.reversed() where refused == nil {
                let reply = try await task.value
                if reply.status == .serviceUnavailable { refused = reply }
                if ContinuousClock.now - began > .seconds(4) { break }
            }
            #expect(refused?.headers[.retryAfter] != nil, "no 503 within 4 s")
            #expect(ContinuousClock.now - began < .seconds(5))
            try holder.execute("ROLLBACK")
            for task in replies { #expect([.ok, .serviceUnavailable].contains(try await task.value.status)) }
            #expect(try await client.request(.get, "/v1/patients/\(w.patient)", token: w.nurse).status == .ok)
        }
    }

    @Test("a path with another method is 405 with Allow; an invalid Idempotency-Key is 400, never ignored")
    func methodsAndKeys() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let trace = try await client.request(.init("TRACE")!, "/v1/teams", token: w.admin)
            #expect(trace.status == .methodNotAllowed && trace.headers[.allow] == "POST", "\(trace.status)")
            let delete = try await client.request(.delete, "/v1/teams/\(w.kommune)", token: w.admin)
            #expect(delete.status == .methodNotAllowed && delete.headers[.allow] == "GET")
            #expect(try await client.request(.get, "/v1/nothing-here", token: w.admin).status == .notFound)
            let long = String(repeating: "k", count: 201)
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: long]
            let reply = try await client.request(
                .post, "/v1/teams", token: w.admin, json: ["name": "X", "kind": "sykehus", "healthTrust": "HF"], headers: key)
            #expect(reply.status == .badRequest)
            #expect(try await client.count("SELECT count(*) FROM events WHERE type = 'TeamCreated'") == 3)
        }
    }

    @Test("--dev-auth refuses to listen beyond loopback unless told twice")
    func devAuthLoopbackOnly() async throws {
        var configuration = TestApp.configuration
        configuration.host = "0.0.0.0"
        let database = Database(conninfo: TestDatabase.conninfo, maxConnections: 1, logger: TestDatabase.logger)
        await #expect(throws: ConfigurationError.self) {
            _ = try await buildApplication(configuration, logger: TestDatabase.logger, database: database)
        }
        configuration.devAuthAllowRemote = true
        _ = try await buildApplication(configuration, logger: TestDatabase.logger, database: database)
        await database.close()
        #expect(StaffTokens.developmentKeyPath(configuration).hasPrefix("/"))
    }
}
