import NIOConcurrencyHelpers
import VardeCore

/// Runs stretches of the log through the projector in three stages on
/// three connections: while a page is written (`write`, in its own
/// transaction), the next ones are folded (`Projector.prepare`) and read and
/// decoded, each stage as fast as it can and at most two pages ahead. Used
/// by `varde projections rebuild` and by the replay of `varde verify`; the
/// live projector handles one page at a time.
struct ProjectionPipeline: Sendable {
    /// A folded page, ready to be written: events up to `through`.
    struct Prepared: Sendable {
        var through: Int64
        var count: Int
        var page: ProjectionPage
    }

    /// Connections the stages use at once: give `database` at least this many.
    static let connections = 3

    let database: Database
    let projector: Projector
    let pageSize: Int
    /// Positions an operator decided to skip (`projection_skips`), read once.
    var skips: Set<Int64> = []

    /// Pages after `position` up to `limit`, each handed to `write`. Returns
    /// the last position written and the number of events.
    func run(
        after position: Int64, through limit: Int64 = .max,
        write: @escaping @Sendable (PGConnection, Prepared) throws -> Void,
        progress: (Int64, Int) -> Void = { _, _ in }
    ) async throws -> (position: Int64, count: Int) {
        // Each stage runs at its own pace, at most two pages ahead of the next.
        let reads = Handoff<Read>(capacity: 2), folds = Handoff<Prepared>(capacity: 2)
        @Sendable func stop() async {
            await reads.close()
            await folds.close()
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    var from = position
                    while true {
                        let page = try await self.read(after: from, through: limit)
                        guard let last = page.last else { break }
                        await reads.put(page)
                        from = last
                    }
                    await reads.close()
                } catch {
                    await stop()
                    throw error
                }
            }
            group.addTask {
                do {
                    while let page = await reads.take() {
                        if let folded = try await self.fold(page) { await folds.put(folded) }
                    }
                    await folds.close()
                } catch {
                    await stop()
                    throw error
                }
            }
            var count = 0, written = position
            do {
                while let page = await folds.take() {
                    try await self.write(page, write)
                    written = page.through
                    count += page.count
                    progress(written, count)
                }
            } catch {
                await stop()
                throw error
            }
            try await group.waitForAll()
            return (written, count)
        }
    }

    /// The bulk load into a fresh `ProjectionSchema` (this pipeline's database
    /// has it first on its search path), through `limit`: each page's
    /// readings and feed entries go in by COPY, into tables without indexes;
    /// the rows later pages change are merged (`ProjectionPage.absorb`) and
    /// written once, with the constraints of `schema.addIndexes`.
    func load(
        into schema: ProjectionSchema, through limit: Int64, progress: (Int64, Int) -> Void = { _, _ in }
    ) async throws -> (position: Int64, count: Int) {
        let rows = NIOLockedValueBox(ProjectionPage())
        let loaded = try await run(
            after: 0, through: limit,
            write: { c, prepared in
                try prepared.page.copy(c)
                rows.withLockedValue { $0.absorb(prepared.page) }
            }, progress: progress)
        let statements = rows.withLockedValue { $0.statements }
        let database = self.database
        try await database.withConnection { c in
            let parallel = try (0..<2).map { _ in try database.dedicatedConnection() }
            try schema.addIndexes(on: c, parallel: parallel) { c in
                if !statements.isEmpty { try c.pipeline(statements) }
            }
        }
        return loaded
    }

    /// Events (from, through], page by page, each page written whole
    /// (`Projector.prepare`, `ProjectionPage.write`) in a transaction of its own, on a connection of
    /// its own: for callers inside a synchronous section (a transaction that
    /// holds the live projector's checkpoint lock). Returns the last position
    /// and the number of events.
    func replay(from: Int64, through: Int64, progress: (Int64, Int) -> Void = { _, _ in }) throws -> (position: Int64, count: Int) {
        let c = try database.dedicatedConnection()
        var position = from, count = 0
        while position < through {
            let page = try c.readForProjection(after: position, limit: pageSize, through: through)
            guard let last = page.last else { break }
            try c.transaction { try projector.prepare(page, connection: $0).write($0) }
            position = last.position
            count += page.count
            progress(position, count)
        }
        return (position, count)
    }

    /// A page read and decoded, with the position of its last event.
    private struct Read: Sendable {
        var last: Int64?
        var count = 0
        var events: [Projector.Decoded] = []
    }

    private func read(after position: Int64, through limit: Int64) async throws -> Read {
        guard position < limit else { return Read() }
        let (pageSize, skips) = (self.pageSize, self.skips)
        return try await database.withConnection { c in
            let events = try c.readForProjection(after: position, limit: pageSize, through: limit)
            return Read(last: events.last?.position, count: events.count, events: try Projector.decode(events, skipping: skips))
        }
    }

    private func write(_ page: Prepared, _ write: @escaping @Sendable (PGConnection, Prepared) throws -> Void) async throws {
        try await database.transaction { try write($0, page) }
    }

    private func fold(_ read: Read) async throws -> Prepared? {
        guard let last = read.last else { return nil }
        let projector = self.projector
        return try await database.withConnection { c in
            Prepared(through: last, count: read.count, page: try projector.prepare(decoded: read.events, connection: c))
        }
    }
}
