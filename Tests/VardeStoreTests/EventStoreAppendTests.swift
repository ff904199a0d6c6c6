import Foundation
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

@Suite("Event store: append")
struct EventStoreAppendTests {
    @Test("appends get consecutive versions and increasing positions; reads return them")
    func appendAndRead() async throws {
        try await TestDatabase.with { database, _ in
            let store = EventStore(database: database)
            let stream = Fixture.stream()
            let first = try await store.append(to: stream, expected: .noStream, [Fixture.event(), Fixture.event()])
            let second = try await store.append(to: stream, expected: .exact(2), [Fixture.event("Other", body: #"{"å": "ø"}"#)])
            #expect(first.map(\.version) == [1, 2])
            #expect(second.map(\.version) == [3])
            #expect(first[0].position < first[1].position && first[1].position < second[0].position)
            let events = try await store.read(stream: stream)
            #expect(events.map(\.version) == [1, 2, 3])
            #expect(events.map(\.type) == ["Tested", "Tested", "Other"])
            #expect(String(decoding: events[2].data, as: UTF8.self) == #"{"å": "ø"}"#)
            #expect(events[0].metadata.actor == "test")
            let fromTwo = try await store.read(stream: stream, from: 2)
            #expect(fromTwo.map(\.version) == [2, 3])
        }
    }

    @Test("a wrong expected version is a typed conflict and writes nothing")
    func versionConflicts() async throws {
        try await TestDatabase.with { database, _ in
            let store = EventStore(database: database)
            let stream = Fixture.stream()
            _ = try await store.append(to: stream, expected: .noStream, [Fixture.event()])
            await #expect(throws: AppendError.versionConflict(stream: stream, expected: .noStream, actual: 1)) {
                try await store.append(to: stream, expected: .noStream, [Fixture.event()])
            }
            await #expect(throws: AppendError.versionConflict(stream: stream, expected: .exact(5), actual: 1)) {
                try await store.append(to: stream, expected: .exact(5), [Fixture.event()])
            }
            _ = try await store.append(to: stream, expected: .any, [Fixture.event()])
            #expect(try await store.read(stream: stream).count == 2)
        }
    }

    @Test("a conflict on one stream of a batch writes nothing to any stream")
    func batchIsAtomic() async throws {
        try await TestDatabase.with { database, _ in
            let store = EventStore(database: database)
            let a = Fixture.stream(), b = Fixture.stream()
            _ = try await store.append(to: b, expected: .any, [Fixture.event()])
            await #expect(throws: AppendError.self) {
                try await store.append([
                    StreamAppend(stream: a, expected: .noStream, events: [Fixture.event()]),
                    StreamAppend(stream: b, expected: .noStream, events: [Fixture.event()]),
                ])
            }
            #expect(try await store.read(stream: a).isEmpty)
            #expect(try await store.headPosition() == 1)
        }
    }

    @Test("re-appending stored event ids returns the original positions and stores nothing twice")
    func idempotentAppend() async throws {
        try await TestDatabase.with { database, _ in
            let store = EventStore(database: database)
            let stream = Fixture.stream()
            let events = [Fixture.event(), Fixture.event()]
            let original = try await store.append(to: stream, expected: .noStream, events)
            // A retry with the same ids, even with a stale expectation, is a no-op.
            let retry = try await store.append(to: stream, expected: .noStream, events)
            #expect(retry.map(\.position) == original.map(\.position))
            #expect(retry.allSatisfy { $0.duplicate })
            #expect(!original.contains { $0.duplicate })
            #expect(try await store.read(stream: stream).count == 2)
            await #expect(throws: AppendError.partialDuplicate) {
                try await store.append(to: stream, expected: .any, [events[0], Fixture.event()])
            }
            #expect(try await store.read(stream: stream).count == 2)
        }
    }

    @Test("the database refuses UPDATE, DELETE and TRUNCATE on events")
    func appendOnly() async throws {
        try await TestDatabase.with { database, _ in
            let store = EventStore(database: database)
            _ = try await store.append(to: Fixture.stream(), expected: .any, [Fixture.event()])
            for statement in ["UPDATE events SET data = '{}'", "DELETE FROM events", "TRUNCATE events"] {
                let error = await #expect(throws: PGError.self) {
                    try await database.withConnection { try $0.execute(statement) }
                }
                #expect(error?.sqlState == "VAAPP", "\(statement)")
            }
            let events = try await store.readAll(after: 0)
            #expect(events.count == 1)
            #expect(String(decoding: events[0].data, as: UTF8.self) == #"{"n": 1}"#)
        }
    }

    @Test("an append transaction returns only once its commit is flushed, and leaves the session synchronous")
    func appendIsDurableWhenItReturns() async throws {
        try await TestDatabase.with { database, _ in
            try await database.withConnection { c in
                // The test cluster runs with synchronous_commit off; this session
                // asks for what a production server has.
                try c.execute("SET synchronous_commit = on")
                let beforeCommit = try c.transaction { c -> String in
                    _ = try c.append([StreamAppend(stream: Fixture.stream(), expected: .noStream, events: [Fixture.event()])])
                    #expect(try c.query("SHOW synchronous_commit").string(0, 0) == "off")
                    return try c.query("SELECT pg_current_wal_insert_lsn()::text").string(0, 0)!
                }
                // The commit record lies after `beforeCommit`; the barrier flushed past it.
                #expect(try c.query("SELECT pg_current_wal_flush_lsn() > $1::pg_lsn", [beforeCommit]).bool(0, 0) == true)
                // SET LOCAL: later transactions on this pooled connection commit synchronously.
                #expect(try c.query("SHOW synchronous_commit").string(0, 0) == "on")
            }
        }
    }

    @Test("append-and-commit in one round trip: a refused append leaves the connection idle and nothing written")
    func pipelinedCommit() async throws {
        try await TestDatabase.with { database, _ in
            try await database.withConnection { c in
                let stream = Fixture.stream()
                let first = try c.transaction {
                    try $0.append([StreamAppend(stream: stream, expected: .noStream, events: [Fixture.event()])], commit: true)
                }
                #expect(first.map(\.version) == [1])
                #expect(throws: AppendError.versionConflict(stream: stream, expected: .noStream, actual: 1)) {
                    try c.transaction {
                        try $0.append([StreamAppend(stream: stream, expected: .noStream, events: [Fixture.event()])], commit: true)
                    }
                }
                #expect(c.isAlive())
                #expect(try c.readStream(stream).count == 1)
                _ = try c.transaction {
                    try $0.append([StreamAppend(stream: stream, expected: .exact(1), events: [Fixture.event()])], commit: true)
                }
                #expect(try c.readStream(stream).map(\.version) == [1, 2])
            }
        }
    }
}
