import CLibPQ
import Foundation
import NIOConcurrencyHelpers

/// One libpq connection. Every call blocks: use it only on threads the
/// `Database` owns, never on Swift's cooperative pool or an event loop.
/// The lock makes it safe to hand between threads; the pool still gives each
/// connection to one caller at a time.
public final class PGConnection: @unchecked Sendable {
    private let lock = NIOLock()
    private let handle: OpaquePointer
    /// Set when the open transaction committed asynchronously (see `append`):
    /// `transaction` then waits for the WAL flush before it returns.
    private var owesDurability = false
    /// Set when `queryThenCommit` already ended the open transaction.
    private var committedEarly = false
    /// Statements prepared on this session, by SQL text: a statement with
    /// parameters is parsed and analysed once per connection, not per call,
    /// and PostgreSQL may keep its plan (see `send`).
    private var prepared: [String: String] = [:]
    static let maxPrepared = 200

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit { PQfinish(handle) }

    /// Connects with a libpq conninfo string or URL; an empty string means
    /// libpq's own defaults (`PG*` variables, `.pgpass`, `sslmode`), as psql does.
    /// `options` (server settings such as `-c search_path=x`) and `user` override the conninfo's.
    ///
    /// Unless the conninfo or the environment says otherwise, a connection
    /// attempt gives up after 2 s and a TCP connection whose server stopped
    /// answering is dropped within about 25 s (keepalives, user timeout): a
    /// database that is gone makes requests fail fast with 503, never hang.
    public static func connect(_ conninfo: String, options: String? = nil, user: String? = nil) throws(PGError) -> PGConnection {
        // Keywords before `dbname` are defaults the conninfo may override; those after it win.
        var keys = ["application_name"], values = ["varde"]
        for (key, variable, value) in Self.networkDefaults where ProcessInfo.processInfo.environment[variable] == nil {
            keys.append(key)
            values.append(value)
        }
        // Timestamps rendered by the server (jsonb, text) are always in UTC.
        // No JIT: Varde's queries are short, and once the log holds a few million
        // events the planner's estimate for a stream catch-up passes
        // jit_above_cost, so every such query compiled code for milliseconds; in
        // the soak (docs/benchmarks.md) JIT grew to 22% of the host's CPU and
        // ingest fell from 0.50 to 0.30 of the ceiling.
        keys += ["dbname", "client_encoding", "options"]
        values += [conninfo, "UTF8", "-c TimeZone=UTC -c client_min_messages=warning -c jit=off" + (options.map { " " + $0 } ?? "")]
        if let user {
            keys.append("user")
            values.append(user)
        }
        let handle: OpaquePointer? = withCStringArray(keys) { k in
            withCStringArray(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let handle else { throw PGError(.connection, message: "out of memory") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle))
            PQfinish(handle)
            throw PGError(.connection, message: message)
        }
        return PGConnection(handle: handle)
    }

    /// libpq keyword, the environment variable that overrides it, our default.
    static let networkDefaults = [
        ("connect_timeout", "PGCONNECT_TIMEOUT", "2"), ("keepalives_idle", "-", "10"), ("keepalives_interval", "-", "5"),
        ("keepalives_count", "-", "3"), ("tcp_user_timeout", "-", "25000"),
    ]

    /// Runs one parameterised statement (`$1`, `$2`, … in text format).
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PGParameter)?] = []) throws(PGError) -> PGResult {
        try query(Statement(sql, parameters))
    }

    @discardableResult
    public func query(_ statement: Statement) throws(PGError) -> PGResult {
        if !statement.parameters.isEmpty { return try results(of: send([statement]))[0] }
        let raw: OpaquePointer? = lock.withLock { PQexecParams(handle, statement.sql, 0, nil, nil, nil, nil, 0) }
        return try check(raw)
    }

    /// Runs SQL text without parameters; may hold several statements (migrations).
    public func execute(_ sql: String) throws(PGError) {
        let raw = lock.withLock { PQexec(handle, sql) }
        _ = try check(raw)
    }

    /// One statement of a `pipeline`.
    public struct Statement: Sendable {
        public var sql: String
        public var parameters: [String?]

        public init(_ sql: String, _ parameters: [(any PGParameter)?] = []) {
            self.sql = sql
            self.parameters = parameters.map { $0?.pgText }
        }
    }

    /// Sends the statements in one round trip (libpq pipeline mode) and
    /// returns their results in order. The server runs them one after
    /// another, each with its own snapshot (so a read after a lock sees what
    /// committed before the lock was granted). When one fails, the server
    /// skips the rest and its error is thrown. Outside a transaction the
    /// statements share one implicit transaction.
    public func pipeline(_ statements: [Statement]) throws(PGError) -> [PGResult] {
        try results(of: send(statements))
    }

    /// Runs the append (or any statement), COMMIT and a durability barrier in
    /// one round trip, ending the open transaction: the server commits as soon
    /// as the statement is done instead of waiting for the client to read the
    /// result and send COMMIT, so locks the statement took are held for the
    /// statement and the commit only; the commit does not wait for the disk
    /// (`synchronous_commit = off`), and the barrier after it does, so the
    /// call returns only once the commit is durable (see `awaitDurability`).
    /// When the statement fails, the server skips COMMIT and barrier, and the
    /// error thrown is the statement's. `preceding` statements go first in the
    /// same round trip (e.g. the access log of the change). Outside a
    /// transaction the statements simply run in one pipeline.
    func queryThenCommit(_ sql: String, _ parameters: [(any PGParameter)?], preceding: [Statement] = []) throws(PGError) -> PGResult {
        let statements = preceding + [Statement(sql, parameters)]
        guard lock.withLock({ PQtransactionStatus(handle) }) == PQTRANS_INTRANS else { return try pipeline(statements).last! }
        return try commit(after: [Statement("SET LOCAL synchronous_commit = off")] + statements, durably: true).last!
    }

    /// Sends `statements` and COMMIT in one round trip, ending the open
    /// transaction (`transaction` then skips its own COMMIT), and with
    /// `durably` the durability barrier too. When one fails, the server skips
    /// the rest, COMMIT included. Returns the statements' results.
    @discardableResult
    public func commit(after statements: [Statement], durably: Bool = false) throws(PGError) -> [PGResult] {
        let raws = try send(statements + [Statement("COMMIT")] + (durably ? [Self.barrier] : []))
        lock.withLock {
            committedEarly = raws[statements.count].map { PQresultStatus($0) == PGRES_COMMAND_OK } ?? false
            if committedEarly, durably { owesDurability = false }
        }
        return Array(try results(of: raws).prefix(statements.count))
    }

    /// Sends the statements in one pipeline. A statement with parameters runs
    /// as a prepared statement of this session, prepared in the same pipeline
    /// the first time its text is seen (up to `maxPrepared` texts).
    private func send(_ statements: [Statement]) throws(PGError) -> [OpaquePointer?] {
        let outcome: Result<[OpaquePointer?], PGError>? = lock.withLock {
            guard PQenterPipelineMode(handle) == 1 else { return nil }
            defer { PQexitPipelineMode(handle) }
            var sent = true
            // The name each statement is prepared under in this pipeline, if it is.
            var preparing: [String?] = []
            var names = prepared
            for statement in statements where sent {
                let count = Int32(statement.parameters.count)
                var name = names[statement.sql]
                var fresh: String?
                if name == nil, count > 0, names.count < Self.maxPrepared {
                    let new = "varde_\(names.count)"
                    sent = PQsendPrepare(handle, new, statement.sql, count, nil) == 1
                    names[statement.sql] = new
                    name = new
                    fresh = new
                }
                preparing.append(fresh)
                guard sent else { break }
                sent =
                    withOptionalCStringArray(statement.parameters) { values in
                        if let name {
                            PQsendQueryPrepared(handle, name, count, values, nil, nil, 0)
                        } else {
                            PQsendQueryParams(handle, statement.sql, count, nil, values, nil, nil, 0)
                        }
                    } == 1
            }
            guard sent, PQpipelineSync(handle) == 1 else { return nil }
            // Each result is followed by NULL; the sync marker comes last.
            func next() -> OpaquePointer? {
                let raw = PQgetResult(handle)
                if raw != nil { while let extra = PQgetResult(handle) { PQclear(extra) } }
                return raw
            }
            let raws = zip(statements, preparing).map { statement, fresh -> OpaquePointer? in
                guard fresh != nil else { return next() }
                let preparation = next()
                let status = preparation.map(PQresultStatus)
                if status == PGRES_COMMAND_OK {
                    prepared[statement.sql] = fresh
                    PQclear(preparation)
                    return next()
                }
                // Not prepared: a failed PREPARE is the statement's error (the
                // run itself was skipped); after an earlier failure both were skipped.
                if status == PGRES_FATAL_ERROR {
                    if let skipped = next() { PQclear(skipped) }
                    return preparation
                }
                if let preparation { PQclear(preparation) }
                return next()
            }
            // The sync marker says the pipeline's implicit transaction committed
            // (a COMMIT then a durability barrier: the barrier's own result comes
            // before its commit). Without it the commit's fate is unknown: the
            // caller must not report success (a restart of the server would lose
            // what it was told was stored).
            if let failure = awaitSync() {
                raws.forEach { if let raw = $0 { PQclear(raw) } }
                return .failure(failure)
            }
            return .success(raws)
        }
        guard let outcome else {
            throw PGError(.connection, message: lock.withLock { String(cString: PQerrorMessage(handle)) })
        }
        return try outcome.get()
    }

    /// Reads up to the pipeline's sync marker; the error instead of it, if any
    /// (the connection lost, or a commit refused at the end of the pipeline).
    /// Call with the lock held.
    private func awaitSync() -> PGError? {
        var failure: PGError?
        while let raw = PQgetResult(handle) {
            defer { PQclear(raw) }
            let status = PQresultStatus(raw)
            if status == PGRES_PIPELINE_SYNC { return failure }
            if status == PGRES_FATAL_ERROR, failure == nil {
                let state = PQresultErrorField(raw, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
                failure = PGError(
                    state == nil || PQstatus(handle) != CONNECTION_OK ? .connection : .server, sqlState: state,
                    message: String(cString: PQresultErrorMessage(raw)))
            }
        }
        return failure ?? PGError(.connection, message: "the connection ended before the pipeline's commit was confirmed")
    }

    /// Checks results in order; the first failure is thrown (the statements
    /// after it were skipped by the server).
    private func results(of raws: [OpaquePointer?]) throws(PGError) -> [PGResult] {
        var results: [PGResult] = []
        for (index, raw) in raws.enumerated() {
            do {
                results.append(try check(raw))
            } catch {
                for later in raws[(index + 1)...] { if let later { PQclear(later) } }
                throw error
            }
        }
        return results
    }

    /// BEGIN … COMMIT around `body`; ROLLBACK when it throws.
    public func transaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try transaction(opening: []) { connection, _ in try body(connection) }
    }

    /// The same, with `opening` sent together with BEGIN in one round trip;
    /// `body` gets their results.
    public func transaction<T>(opening: [Statement], _ body: (PGConnection, [PGResult]) throws -> T) throws -> T {
        lock.withLock { committedEarly = false }
        do {
            let opened: [PGResult]
            if opening.isEmpty {
                try execute("BEGIN")
                opened = []
            } else {
                opened = Array(try pipeline([Statement("BEGIN")] + opening).dropFirst())
            }
            let value = try body(self, opened)
            if !lock.withLock({ committedEarly }) { try execute("COMMIT") }
            if lock.withLock({ owesDurability }) {
                try awaitDurability()
            }
            return value
        } catch {
            if !isBroken, lock.withLock({ PQtransactionStatus(handle) }) != PQTRANS_IDLE { try? execute("ROLLBACK") }
            lock.withLock { owesDurability = false }
            throw error
        }
    }

    /// Lets the open transaction commit without waiting for its WAL flush (so
    /// locks it holds are released a disk flush sooner); `transaction` waits
    /// for the flush after COMMIT and before returning, so the caller still
    /// only ever sees durable commits. Outside a transaction it does nothing:
    /// the statement's implicit commit stays synchronous.
    func commitAsynchronously() throws(PGError) {
        guard lock.withLock({ PQtransactionStatus(handle) }) == PQTRANS_INTRANS else { return }
        try execute("SET LOCAL synchronous_commit = off")
        lock.withLock { owesDurability = true }
    }

    /// Returns once everything this session committed is on disk: a tiny
    /// transaction that writes WAL and commits synchronously flushes the WAL
    /// up to its own commit record, which lies after every earlier commit's.
    /// Concurrent callers share flushes (PostgreSQL's group commit).
    public func awaitDurability() throws(PGError) {
        lock.withLock { owesDurability = false }
        try query(Self.barrier)
    }

    /// The durability barrier: a statement that writes WAL, run as its own
    /// synchronously committed transaction.
    static let barrier = Statement("SELECT pg_logical_emit_message(true, 'varde.durable', '')")

    /// True once libpq has seen the connection fail.
    public var isBroken: Bool {
        lock.withLock { PQstatus(handle) != CONNECTION_OK }
    }

    /// Reads whatever the server sent without blocking (notifications, or the
    /// notice and EOF a restarting server leaves behind) and reports whether the
    /// connection is still usable. Cheap enough to call on every checkout.
    public func isAlive() -> Bool {
        lock.withLock {
            // An idle connection has nothing to read but notices, notifications
            // or a dying server's last words; drain until the socket is quiet
            // so that an EOF behind such a message is seen too.
            for _ in 0..<4 {
                guard PQstatus(handle) == CONNECTION_OK else { return false }
                var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
                guard poll(&descriptor, 1, 0) > 0 else { break }
                guard PQconsumeInput(handle) == 1 else { return false }
            }
            return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
        }
    }

    private func check(_ raw: OpaquePointer?) throws(PGError) -> PGResult {
        guard let raw else {
            throw PGError(.connection, message: lock.withLock { String(cString: PQerrorMessage(handle)) })
        }
        let result = PGResult(raw)
        switch PQresultStatus(raw) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN, PGRES_COPY_OUT:
            return result
        default:
            let field = { (code: UInt8) -> String? in
                PQresultErrorField(raw, Int32(code)).map { String(cString: $0) }
            }
            // An error without SQLSTATE comes from libpq itself (the server went
            // away mid-statement), even before the connection's status says so.
            let broken = lock.withLock { PQstatus(handle) != CONNECTION_OK } || field(UInt8(ascii: "C")) == nil
            throw PGError(
                broken ? .connection : .server,
                sqlState: field(UInt8(ascii: "C")),
                message: field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(raw)),
                detail: field(UInt8(ascii: "D")))
        }
    }

    /// Runs `body` with the raw handle under the lock (COPY, LISTEN support).
    func withHandle<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try lock.withLock { try body(handle) }
    }
}

private func withCStringArray<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) } + [nil])
}

private func withOptionalCStringArray<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { $0.map { strdup($0) } ?? nil }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) })
}
