import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VardeAuth
import VardeCore
import VardeHTTP
import VardeStore

/// Where the simulation sends its requests. In process: the real application
/// (`buildApplication`, every service) on a scratch database, listening on a
/// loopback port, reading the time from a simulated clock. The overdue sweep
/// is the application's own `OverdueSweep` code, run once per simulated tick
/// by the driver (`sweep(now:)`) instead of on a real-time timer, so months
/// pass in minutes and each round happens at a known simulated time. Live: a
/// running server (`--live URL`), its clock and its own sweep.
public final class SimulationServer: Sendable {
    public let base: String
    let key: DevelopmentKey
    let clock: any WallClock
    let simulated: SimulatedClock?
    let sweep: OverdueSweep?
    private let group: ServiceGroup?
    private let task: Task<Void, any Error>?
    private let folder: URL?

    init(
        base: String, key: DevelopmentKey, clock: any WallClock, simulated: SimulatedClock?, sweep: OverdueSweep?, group: ServiceGroup?,
        task: Task<Void, any Error>?, folder: URL? = nil
    ) {
        self.folder = folder
        self.base = base
        self.key = key
        self.clock = clock
        self.simulated = simulated
        self.sweep = sweep
        self.group = group
        self.task = task
    }

    /// The application on `database` (migrated), at `start` on a simulated clock.
    public static func inProcess(
        database: Database, configuration: Configuration, start: Date, logger: Logger
    ) async throws -> SimulationServer {
        var c = configuration
        c.host = "127.0.0.1"
        c.port = try LoopbackPort.free()
        c.devAuth = true
        // A development key of its own, in a folder removed when the server stops.
        let folder = FileManager.default.temporaryDirectory.appending(path: "varde-simulate-\(UUID().uuidString.lowercased())")
        c.dataDirectory = folder.path
        // The driver runs the sweep each tick; the timer's own rounds would come at random simulated times.
        c.sweepInterval = 86_400
        let clock = SimulatedClock(start)
        let key = try DevelopmentKey.loadOrCreate(at: StaffTokens.developmentKeyPath(c))
        let app = try await buildApplication(c, logger: logger, database: database, clock: clock)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        let sweep = OverdueSweep(
            patients: PatientRepository(store: EventStore(database: database)), interval: .seconds(86_400), clock: clock, logger: logger)
        return SimulationServer(
            base: "http://127.0.0.1:\(c.port)", key: key, clock: clock, simulated: clock, sweep: sweep, group: group, task: task,
            folder: folder)
    }

    /// A running server started with `--dev-auth` and the development key at `keyPath`.
    public static func live(url: String, keyPath: String) throws -> SimulationServer {
        SimulationServer(
            base: url, key: try DevelopmentKey.loadOrCreate(at: keyPath), clock: SystemClock(), simulated: nil, sweep: nil, group: nil,
            task: nil)
    }

    public func stop() async {
        guard let group, let task else { return }
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Moves the simulated clock (a live server's clock is the real one: wait instead).
    func advance(to date: Date) async throws {
        if let simulated {
            simulated.set(date)
        } else {
            let wait = date.timeIntervalSince(Date())
            if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
        }
    }
}

/// Staff tokens signed with the application's time: `iat`, `nbf` and `exp`
/// are checked against its clock, so a token made with the real time would be
/// refused months into a simulation. Re-signed every half hour of its time.
final class TokenDesk: Sendable {
    private let key: DevelopmentKey
    private let clock: any WallClock
    private let cache = Mutex<[String: (token: String, at: Date)]>([:])

    init(key: DevelopmentKey, clock: any WallClock) {
        self.key = key
        self.clock = clock
    }

    func token(_ role: StaffRole, teams: [UUID], subject: String) -> String {
        let now = clock.now()
        let id = "\(role.rawValue) \(subject) \(teams.map(\.uuidString).joined(separator: ","))"
        return cache.withLock { c in
            if let hit = c[id], now.timeIntervalSince(hit.at) < 1800, now >= hit.at { return hit.token }
            let token = key.sign(subject: subject, role: role, teams: teams, ttl: 3600, now: now)
            c[id] = (token, now)
            return token
        }
    }
}

public enum LoopbackPort {
    /// A port the kernel says is free on 127.0.0.1 right now.
    public static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SimulationError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw SimulationError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
