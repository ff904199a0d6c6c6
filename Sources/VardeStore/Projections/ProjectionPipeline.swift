import NIOConcurrencyHelpers
import VardeCore

/// Runs stretches of the log through the projector in three stages on
/// three connections: while page N is written (`write`, in its own
/// transaction), page N+1 is folded (`Projector.prepare`) and page N+2 is
/// read. Used by `varde projections rebuild` and by the replay of
/// `varde verify`; the live projector handles one page at a time.
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

    /// Pages after `position` up to `limit`, each handed to `write`. Returns
    /// the last position written and the number of events.
    func run(
        after position: Int64, through limit: Int64 = .max,
        write: @escaping @Sendable (PGConnection, Prepared) throws -> Void,
        progress: (Int64, Int) -> Void = { _, _ in }
    ) async throws -> (position: Int64, count: Int) {
        var count = 0, position = position
        var read = try await self.read(after: position, through: limit)
        var folded: Prepared?
        while folded != nil || !read.isEmpty {
            let writing = folded, folding = read
            async let written: Void = self.write(writing, write)
            async let following = self.read(after: folding.last?.position ?? limit, through: limit)
            folded = try await fold(folding)
            try await written
            if let writing {
                position = writing.through
                count += writing.count
                progress(position, count)
            }
            read = try await following
        }
        return (position, count)
    }

    /// The bulk load into a fresh `ProjectionSchema` (this pipeline's database
    /// has it first on its search path), through `limit`: each page's
    /// readings and feed entries go in by COPY, into tables without indexes;
    /// the rows later pages change are merged (`ProjectionPage.absorb`) and
    /// written once, after `schema.addIndexes`, in the last transaction.
    func load(
        into schema: ProjectionSchema, through limit: Int64, progress: (Int64, Int) -> Void = { _, _ in }
    ) async throws -> (position: Int64, count: Int) {
        let rows = NIOLockedValueBox(ProjectionPage())
        let loaded = try await run(after: 0, through: limit, write: { c, prepared in
            try prepared.page.copy(c)
            rows.withLockedValue { $0.absorb(prepared.page) }
        }, progress: progress)
        let statements = rows.withLockedValue { $0.statements }
        try await database.transaction { c in
            try schema.addIndexes(c)
            if !statements.isEmpty { try c.pipeline(statements) }
        }
        return loaded
    }

    /// Events (from, through], page by page, each page written whole
    /// (`Projector.handle`) in a transaction of its own, on a connection of
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

    private func read(after position: Int64, through limit: Int64) async throws -> [ProjectionEvent] {
        guard position < limit else { return [] }
        let pageSize = self.pageSize
        return try await database.withConnection { try $0.readForProjection(after: position, limit: pageSize, through: limit) }
    }

    private func write(_ page: Prepared?, _ write: @escaping @Sendable (PGConnection, Prepared) throws -> Void) async throws {
        guard let page else { return }
        try await database.transaction { try write($0, page) }
    }

    private func fold(_ events: [ProjectionEvent]) async throws -> Prepared? {
        guard let last = events.last else { return nil }
        let projector = self.projector
        return try await database.withConnection { c in
            Prepared(through: last.position, count: events.count, page: try projector.prepare(events, connection: c))
        }
    }
}
