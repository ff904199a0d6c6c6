import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import VardeAuth
import VardeCLI
import VardeCore
import VardeHTTP
import VardeSimulation
import VardeSimulator
import VardeStore

/// The real server (`buildApplication`, every service) in this process on
/// 127.0.0.1 and a free port, over a bench schema, with an HTTP client that
/// talks to it over loopback and seeding helpers that go through the API.
final class BenchServer: Sendable {
    let database: Database
    let port: Int
    let http: HTTPClient
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let key: DevelopmentKey
    let adminToken: String

    /// The scaffold of the HTTP benchmarks: a scratch schema, the server on
    /// it, `header` printed with the database settings, then `body`; the
    /// server stopped and the schema dropped whatever happens.
    static func run(
        _ options: DatabaseOptions, poolSize: Int, httpConnections: Int, header: String,
        _ body: (BenchServer) async throws -> Void
    ) async throws {
        let scratch = try await BenchScratch.make(options)
        do {
            print("\(header), \(try await scratch.settings())")
            let server = try await start(scratch, poolSize: poolSize, httpConnections: httpConnections)
            do {
                try await body(server)
            } catch {
                print("benchmark failed: \(error)")
            }
            await server.stop()
        } catch {
            print("benchmark failed: \(error)")
        }
        await scratch.drop()
    }

    static func start(_ scratch: BenchScratch, poolSize: Int, httpConnections: Int) async throws -> BenchServer {
        var configuration = scratch.configuration
        configuration.host = "127.0.0.1"
        configuration.port = try LoopbackPort.free()
        configuration.devAuth = true
        configuration.dataDirectory = FileManager.default.temporaryDirectory.appending(path: "varde-bench").path
        configuration.sweepInterval = 3600
        configuration.databasePoolSize = poolSize
        if let lanes = ProcessInfo.processInfo.environment["VARDE_INGEST_LANES"].flatMap({ Int($0) }) {
            configuration.ingestLanes = max(1, lanes)
        }
        let key = try DevelopmentKey.loadOrCreate(at: StaffTokens.developmentKeyPath(configuration))
        let database = scratch.database(maxConnections: poolSize)
        let app = try await buildApplication(configuration, logger: scratch.logger, database: database)
        let group = ServiceGroup(configuration: .init(services: [app], logger: scratch.logger))
        let task = Task { try await group.run() }
        var http = HTTPClient.Configuration()
        http.connectionPool = .init(idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: httpConnections)
        http.timeout = .init(connect: .seconds(5), read: .seconds(90))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
        let server = BenchServer(
            database: database, port: configuration.port, http: client, group: group, task: task, key: key,
            adminToken: key.sign(subject: "bench-admin", role: .admin, teams: [], ttl: 3600))
        // Wait until it answers.
        for attempt in 0... {
            if let reply = try? await server.send(.GET, "/healthz", token: nil, body: nil), reply.status == 200 { break }
            if attempt > 100 { throw BenchError("the in-process server did not come up on port \(configuration.port)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        return server
    }

    private init(
        database: Database, port: Int, http: HTTPClient, group: ServiceGroup, task: Task<Void, any Error>, key: DevelopmentKey,
        adminToken: String
    ) {
        self.database = database
        self.port = port
        self.http = http
        self.group = group
        self.task = task
        self.key = key
        self.adminToken = adminToken
    }

    func stop() async {
        try? await http.shutdown()
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        await database.close()
    }

    func token(_ role: StaffRole, teams: [UUID]) -> String {
        key.sign(subject: "bench-\(role.rawValue)", role: role, teams: teams, ttl: 3600)
    }

    struct Reply: Sendable {
        var status: UInt
        var body: ByteBuffer
        var text: String { String(buffer: body) }
        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:] }
    }

    func send(_ method: HTTPMethod, _ path: String, token: String?, body: String?) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(90))
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Reply(status: response.status.code, body: bytes)
    }

    func json(_ object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    // MARK: Seeding through the API

    func createTeam(_ name: String) async throws -> UUID {
        let reply = try await send(
            .POST, "/v1/teams", token: adminToken,
            body: json(["name": name, "kind": "kommune", "kommunenummer": "5001"]))
        guard reply.status == 201, let id = (reply.object["id"] as? String).flatMap(UUID.init(uuidString:)) else {
            throw BenchError("seeding a team failed: \(reply.status) \(reply.text)")
        }
        return id
    }

    func createGateway(serving teams: [UUID]) async throws -> String {
        let reply = try await send(
            .POST, "/v1/gateways", token: adminToken, body: json(["name": "Bench hub", "teams": teams.map(\.uuidString)]))
        guard reply.status == 201, let key = reply.object["apiKey"] as? String else {
            throw BenchError("seeding a gateway failed: \(reply.status) \(reply.text)")
        }
        return key
    }

    /// Enrols `count` kols patients on `team`, each with a bound pulse oximeter
    /// `<prefix>-<n>`, a few at a time; returns the patients' ids and serials.
    func enroll(_ count: Int, team: UUID, firstNationalID: Int, serialPrefix: String) async throws -> [(patient: UUID, serial: String)] {
        let clinician = token(.clinician, teams: [team])
        return try await withThrowingTaskGroup(of: (Int, UUID, String).self) { group in
            var out: [(Int, UUID, String)] = []
            for n in 0..<count {
                if n >= 8, let done = try await group.next() { out.append(done) }
                group.addTask {
                    let reply = try await self.send(
                        .POST, "/v1/patients", token: clinician,
                        body: self.json([
                            "nationalId": SyntheticIdentity.fodselsnummer(firstNationalID + n), "kommunenummer": "5001", "program": "kols",
                            "teams": ["kommune": team.uuidString],
                        ]))
                    guard reply.status == 201, let id = (reply.object["id"] as? String).flatMap(UUID.init(uuidString:)) else {
                        throw BenchError("seeding a patient failed: \(reply.status) \(reply.text)")
                    }
                    let serial = "\(serialPrefix)-\(n)"
                    let bound = try await self.send(
                        .POST, "/v1/patients/\(id.lowercasedText)/devices", token: clinician,
                        body: self.json(["serial": serial, "kind": "pulseOximeter"]))
                    guard bound.status == 201 else { throw BenchError("binding a device failed: \(bound.status) \(bound.text)") }
                    return (n, id, serial)
                }
            }
            for try await done in group { out.append(done) }
            return out.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
        }
    }
}

/// Gateway readings as `POST /v1/readings` bodies: spread over the patients'
/// oximeters (named by device serial, so each goes through binding
/// resolution), SpO2 and pulse, about 1 in `breachEvery` a red SpO2 breach.
struct ReadingFactory: Sendable {
    let serials: [String]
    let runID: String
    let breachEvery: Int

    /// RFC 3339 with milliseconds, in UTC.
    static func stamp(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        let ms = Int((date.timeIntervalSince1970 - Double(t)) * 1000) % 1000
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, ms)
    }

    /// One reading; `n` makes the gateway id unique and picks the patient.
    func item(_ client: Int, _ n: Int, at stamp: String) -> String {
        // Each client is a gateway for its own share of the patients (as hubs
        // are), so concurrent batches do not fight over the same streams.
        let share = max(1, serials.count / 32)
        let serial = serials[((client % 32) * share + n % share) % serials.count]
        return Self.item(serial: serial, id: "\(runID)-\(client)-\(n)", n: n, at: stamp, breach: n % breachEvery == breachEvery - 1)
    }

    static func item(serial: String, id: String, n: Int, at stamp: String, breach: Bool) -> String {
        if breach {
            return #"{"id":"\#(id)","deviceSerial":"\#(serial)","measuredAt":"\#(stamp)","kind":"spo2","unit":"%","value":84}"#
        }
        if n % 2 == 0 {
            return #"{"id":"\#(id)","deviceSerial":"\#(serial)","measuredAt":"\#(stamp)","kind":"spo2","unit":"%","value":\#(95 + n % 4)}"#
        }
        return #"{"id":"\#(id)","deviceSerial":"\#(serial)","measuredAt":"\#(stamp)","kind":"pulse","unit":"/min","value":\#(62 + n % 25)}"#
    }

    func batch(_ client: Int, from n: Int, count: Int) -> String {
        let stamp = Self.stamp(Date())
        return #"{"readings":["# + (n..<(n + count)).map { item(client, $0, at: stamp) }.joined(separator: ",") + "]}"
    }
}

/// Gateway load: `clients` loops posting batches for `seconds`, optionally
/// paced to a total rate. Counts readings the server answered `created`.
struct IngestLoad {
    let server: BenchServer
    let gatewayKey: String
    let factory: ReadingFactory

    struct Figures {
        var readings = 0
        var requests = 0
        var failures = 0
        var latencies = Latencies()
        var seconds = 0.0
        var rate: Double { Double(readings) / seconds }
    }

    /// `pace`: readings per second for all clients together (nil: as fast as possible).
    func run(clients: Int, batch: Int, seconds: Double, pace: Double? = nil, clientOffset: Int = 0) async throws -> Figures {
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        let pacer = pace.map { Pacer(interval: .nanoseconds(Int64(Double(batch) / $0 * 1e9)), start: start) }
        var total = try await withThrowingTaskGroup(of: Figures.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var figures = Figures()
                    var n = 0
                    while ContinuousClock.now < deadline {
                        if let pacer {
                            let slot = pacer.next()
                            if slot >= deadline { break }
                            try await Task.sleep(until: slot, clock: .continuous)
                        }
                        let body = factory.batch(client + clientOffset, from: n, count: batch)
                        n += batch
                        let sent = ContinuousClock.now
                        let reply = try await server.send(.POST, "/v1/readings", token: gatewayKey, body: body)
                        figures.latencies.add(ContinuousClock.now - sent)
                        figures.requests += 1
                        if reply.status == 200 {
                            let created = reply.text.components(separatedBy: #""status":"created""#).count - 1
                            figures.readings += created
                            figures.failures += batch - created
                        } else {
                            figures.failures += batch
                            if figures.failures <= batch, client == 0 {
                                print("  POST /v1/readings answered \(reply.status): \(reply.text.prefix(300))")
                            }
                        }
                    }
                    return figures
                }
            }
            var total = Figures()
            for try await f in group {
                total.readings += f.readings
                total.requests += f.requests
                total.failures += f.failures
                total.latencies.merge(f.latencies)
            }
            return total
        }
        total.seconds = (ContinuousClock.now - start).seconds
        return total
    }
}

/// Hands out evenly spaced start times (a rate limiter shared by clients).
final class Pacer: @unchecked Sendable {
    private let lock = NSLock()
    private var slot: ContinuousClock.Instant
    private let interval: Duration

    init(interval: Duration, start: ContinuousClock.Instant) {
        self.interval = interval
        self.slot = start
    }

    func next() -> ContinuousClock.Instant {
        lock.lock()
        defer { lock.unlock() }
        // Never bank more than a second of missed slots.
        slot = max(slot, ContinuousClock.now - .seconds(1)) + interval
        return slot
    }
}
