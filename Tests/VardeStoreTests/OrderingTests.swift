import Foundation
import NIOConcurrencyHelpers
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

@Suite("Event store: global order")
struct OrderingTests {
    /// Many writers commit concurrently while a reader follows the log page by
    /// page from its last position. With positions drawn under the commit-order
    /// lock, the reader can never pass a position whose transaction commits later.
    @Test("a catch-up reader sees every committed event exactly once, in position order")
    func concurrentWritersNeverSkipped() async throws {
        try await TestDatabase.with(maxConnections: 18) { database, _ in
            let store = EventStore(database: database)
            let writers = 16, batchesPerWriter = 25
            let finished = NIOLockedValueBox(0)
            enum Outcome: Sendable {
                case writer([Int64])
                case reader([Int64])
            }
            let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                for _ in 0..<writers {
                    group.addTask {
                        var appended: [Int64] = []
                        for i in 0..<batchesPerWriter {
                            // Vary batch sizes so transactions overlap unevenly.
                            let events = (0...(i % 4)).map { _ in Fixture.event() }
                            appended += try await store.append(to: Fixture.stream(), expected: .noStream, events).map(\.position)
                        }
                        finished.withLockedValue { $0 += 1 }
                        return .writer(appended)
                    }
                }
                group.addTask {
                    // The reader: follows the log while it is being written.
                    var seen: [Int64] = []
                    var last: Int64 = 0
                    let deadline = ContinuousClock.now + .seconds(60)
                    while ContinuousClock.now < deadline {
                        let page = try await store.readAll(after: last, limit: 7)
                        if page.isEmpty {
                            let done = finished.withLockedValue { $0 } == writers
                            if done, try await store.headPosition() == last { break }
                            try await Task.sleep(for: .milliseconds(1))
                            continue
                        }
                        seen += page.map(\.position)
                        last = page.last!.position
                    }
                    return .reader(seen)
                }
                var all: [Outcome] = []
                for try await result in group { all.append(result) }
                return all
            }
            var reader: [Int64] = [], committed: [Int64] = []
            for outcome in outcomes {
                switch outcome {
                case .reader(let seen): reader = seen
                case .writer(let positions): committed += positions
                }
            }
            committed.sort()
            #expect(committed.count == (0..<batchesPerWriter).reduce(0) { $0 + ($1 % 4) + 1 } * writers)
            #expect(reader.count == committed.count, "the reader saw \(reader.count) of \(committed.count) events")
            #expect(Set(reader).count == reader.count, "no event seen twice")
            #expect(reader == committed, "every committed event, in position order")
        }
    }
}
