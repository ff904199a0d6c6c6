import Foundation
import Testing
import VardeTestSupport

@testable import VardeStore

@Suite("Projection pipeline")
struct ProjectionPipelineTests {
    @Test("a handoff holds at most its capacity, keeps order, and drains before it ends")
    func handoffOrderAndBound() async throws {
        let handoff = Handoff<Int>(capacity: 2)
        let produced = Counter()
        let producer = Task {
            for i in 1...10 {
                await handoff.put(i)
                await produced.add()
            }
            await handoff.close()
        }
        // Nobody takes yet: the producer gets two items in, and no more.
        for _ in 0..<200 where await produced.value < 2 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(await produced.value == 2)
        var taken: [Int] = []
        while let item = await handoff.take() { taken.append(item) }
        await producer.value
        #expect(taken == Array(1...10))
    }

    @Test("closing a handoff releases a waiting put and a waiting take")
    func handoffCloseReleases() async throws {
        let full = Handoff<Int>(capacity: 1)
        await full.put(1)
        let putter = Task { await full.put(2) }
        let empty = Handoff<Int>(capacity: 1)
        let taker = Task { await empty.take() }
        try await Task.sleep(for: .milliseconds(50))
        await full.close()
        await empty.close()
        await putter.value
        #expect(await taker.value == nil)
        #expect(await full.take() == 1)
        #expect(await full.take() == nil, "the item put after close is dropped")
    }

    struct WriteFailed: Error {}

    // The limit catches a pipeline that never stops; it also counts the wait
    // for this test's schema (schemas migrate one at a time across the whole
    // suite), which took over a minute on a slow host.
    @Test("a failing write stops every stage and its error comes out", .timeLimit(.minutes(5)))
    func failingWriteStops() async throws {
        try await TestDatabase.with { database, _ in
            var scenario = Scenario(database: database)
            try await scenario.run()
            let pipeline = ProjectionPipeline(database: database, projector: Projector(), pageSize: 2)
            let writes = Counter()
            await #expect(throws: WriteFailed.self) {
                _ = try await pipeline.run(
                    after: 0,
                    write: { _, _ in
                        if writes.addNow() == 3 { throw WriteFailed() }
                    })
            }
            #expect(writes.now == 3)
        }
    }

    @Test("a failing read stops every stage and its error comes out", .timeLimit(.minutes(5)))
    func failingReadStops() async throws {
        try await TestDatabase.with { database, _ in
            var scenario = Scenario(database: database)
            try await scenario.run()
            // A page of events the projector cannot decode.
            try await database.withConnection { c in
                try c.execute("ALTER TABLE events DISABLE TRIGGER events_no_update_delete")
                try c.execute(
                    """
                    UPDATE events SET data = '{"unexpected": true}'
                    WHERE position = (SELECT min(position) FROM events WHERE type = 'ReadingRecorded') + 20
                    """)
                try c.execute("ALTER TABLE events ENABLE TRIGGER events_no_update_delete")
            }
            let pipeline = ProjectionPipeline(database: database, projector: Projector(), pageSize: 2)
            await #expect(throws: (any Error).self) {
                _ = try await pipeline.run(after: 0, write: { _, _ in })
            }
        }
    }
}

/// A count shared between tasks and threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() async { _ = addNow() }
    func addNow() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
    var value: Int { get async { now } }
    var now: Int { lock.withLock { count } }
}
