import VardeCore

/// Runs stretches of the log through the projector on two connections: while
/// page N is written (`write`, in its own transaction), page N+1 is read and
/// folded (`Projector.prepare`). Used by `varde projections rebuild` and by the
/// replay of `varde verify`; the live projector handles one page at a time.
struct ProjectionPipeline: Sendable {
    /// A folded page, ready to be written: events (from, through].
    struct Prepared: Sendable {
        var from: Int64
        var through: Int64
        var count: Int
        var page: ProjectionPage
    }

    let database: Database
    let projector: Projector
    let pageSize: Int

    /// Pages after `position` up to `limit`. `write` returns nil when it wrote
    /// the page, or a position to go on from instead (the page is then
    /// dropped). Returns the last position handled and the events written.
    func run(
        after position: Int64, through limit: Int64 = .max,
        write: @escaping @Sendable (PGConnection, Prepared) throws -> Int64?,
        progress: (Int64, Int) -> Void = { _, _ in }
    ) async throws -> (position: Int64, count: Int) {
        var count = 0, position = position
        var next = try await prepare(after: position, through: limit)
        while let current = next {
            async let written = database.transaction { try write($0, current) }
            let following = try await prepare(after: current.through, through: limit)
            if let moved = try await written {
                position = moved
                next = try await prepare(after: moved, through: limit)
                continue
            }
            position = current.through
            count += current.count
            progress(position, count)
            next = following
        }
        return (position, count)
    }

    private func prepare(after position: Int64, through limit: Int64) async throws -> Prepared? {
        let pageSize = self.pageSize, projector = self.projector
        guard position < limit else { return nil }
        return try await database.withConnection { c in
            let events = try c.readAll(after: position, limit: pageSize).filter { $0.position <= limit }
            guard let last = events.last else { return nil }
            return Prepared(from: position, through: last.position, count: events.count,
                            page: try projector.prepare(events, connection: c))
        }
    }
}
