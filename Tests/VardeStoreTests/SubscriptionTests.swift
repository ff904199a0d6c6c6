import Foundation
import NIOConcurrencyHelpers
import ServiceLifecycle
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

/// Records what it is handed; writes a row per event in the same transaction.
final class RecordingHandler: EventHandler {
    let seen = NIOLockedValueBox<[Int64]>([])
    let types: [String]?

    init(types: [String]? = nil) { self.types = types }

    var eventTypes: [String]? { types }

    func handle(_ events: [RecordedEvent], connection: PGConnection) throws {
        seen.withLockedValue { $0 += events.map(\.position) }
    }
}

@Suite("Subscriptions")
struct SubscriptionTests {
    @Test("a subscription handles each event once and keeps its checkpoint in the database")
    func checkpointed() async throws {
        try await TestDatabase.with { database, _ in
            let store = EventStore(database: database)
            for _ in 0..<5 { _ = try await store.append(to: Fixture.stream(), expected: .any, [Fixture.event(), Fixture.event()]) }
            let handler = RecordingHandler()
            let subscription = Subscription(
                name: "test", database: database, handler: handler, head: Watermark(), pageSize: 3, logger: TestDatabase.logger)
            try await subscription.catchUp()
            let head = try await store.headPosition()
            #expect(handler.seen.withLockedValue { $0 } == Array(1...head))
            #expect(try await database.withConnection { try $0.checkpoint("test") } == head)
            // A second instance starting from the stored checkpoint has nothing to do.
            let again = RecordingHandler()
            try await Subscription(
                name: "test", database: database, handler: again, head: Watermark(), logger: TestDatabase.logger
            ).catchUp()
            #expect(again.seen.withLockedValue { $0 }.isEmpty)
        }
    }

    @Test("a handler that throws leaves the checkpoint where it was")
    func failureRollsBack() async throws {
        struct Failing: EventHandler {
            func handle(_ events: [RecordedEvent], connection: PGConnection) throws {
                try connection.query("INSERT INTO subscriptions (name) VALUES ('side-effect')")
                throw CancellationError()
            }
        }
        try await TestDatabase.with { database, _ in
            _ = try await EventStore(database: database).append(to: Fixture.stream(), expected: .any, [Fixture.event()])
            let subscription = Subscription(
                name: "failing", database: database, handler: Failing(), head: Watermark(), logger: TestDatabase.logger)
            await #expect(throws: CancellationError.self) { try await subscription.step() }
            #expect(try await database.withConnection { try $0.checkpoint("failing") } == 0)
            #expect(
                try await database.withConnection {
                    try $0.query("SELECT count(*) FROM subscriptions WHERE name = 'side-effect'").int(0, 0)
                } == 0)
        }
    }

    @Test("type filters skip other events but still move the checkpoint")
    func filtered() async throws {
        try await TestDatabase.with { database, _ in
            let store = EventStore(database: database)
            _ = try await store.append(to: Fixture.stream(), expected: .any, [Fixture.event("A"), Fixture.event("B"), Fixture.event("A")])
            let handler = RecordingHandler(types: ["A"])
            let subscription = Subscription(
                name: "a-only", database: database, handler: handler, head: Watermark(), logger: TestDatabase.logger)
            try await subscription.catchUp()
            #expect(handler.seen.withLockedValue { $0 } == [1, 3])
            _ = try await store.append(to: Fixture.stream(), expected: .any, [Fixture.event("B")])
            try await subscription.catchUp()
            #expect(subscription.progress.value == 4)
        }
    }

    @Test("LISTEN/NOTIFY wakes a running subscription long before its slow poll")
    func notifyWakes() async throws {
        try await TestDatabase.with { database, _ in
            let head = Watermark()
            let listener = NotificationListener(database: database, head: head, logger: TestDatabase.logger)
            let handler = RecordingHandler()
            let subscription = Subscription(
                name: "live", database: database, handler: handler, head: head, pollInterval: .seconds(600),
                logger: TestDatabase.logger)
            let group = ServiceGroup(services: [listener, subscription], logger: TestDatabase.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // Let both settle into waiting, then append.
                try await Task.sleep(for: .milliseconds(500))
                let appended = try await EventStore(database: database).append(to: Fixture.stream(), expected: .any, [Fixture.event()])
                let reached = await subscription.progress.wait(until: appended[0].position, timeout: .seconds(10))
                #expect(reached)
                #expect(handler.seen.withLockedValue { $0 }.contains(appended[0].position))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
