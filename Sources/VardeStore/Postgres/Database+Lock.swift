/// Another session holds the lock a command needs to run alone.
public struct LockBusy: Error, CustomStringConvertible {
    public let description: String
}

extension Database {
    /// Runs `body` while this process holds the session advisory lock named
    /// `key`, on a connection of its own kept open for the purpose; throws
    /// `LockBusy(busy)` at once when another session holds it. The lock goes
    /// with that connection if the process dies.
    public func holdingLock<T: Sendable>(_ key: String, busy: String, _ body: () async throws -> T) async throws -> T {
        let sql = "(hashtextextended($1, 5))"
        let holder = try await withConnection { [self] _ in try dedicatedConnection() }
        let taken = try await withConnection { _ in try holder.query("SELECT pg_try_advisory_lock" + sql, [key]).bool(0, 0) }
        guard taken == true else { throw LockBusy(description: busy) }
        do {
            let value = try await body()
            _ = try? await withConnection { _ in try holder.query("SELECT pg_advisory_unlock" + sql, [key]) }
            return value
        } catch {
            _ = try? await withConnection { _ in try holder.query("SELECT pg_advisory_unlock" + sql, [key]) }
            throw error
        }
    }
}
