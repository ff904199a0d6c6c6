import ArgumentParser
import Foundation
import Logging
import VardeCLI
import VardeCore
import VardeHTTP
import VardeStore

/// `varde-bench append`: events/second through `varde_append`, one event or
/// 100 per transaction, 1 or 16 writers, and a bare multi-row INSERT into a
/// table with the same indexes as the ceiling. Runs in a scratch schema.
struct BenchAppend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "append", abstract: "Event-store append throughput.")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Seconds per scenario.")
    var seconds: Double = 5

    @Option(name: .customLong("pool-size"), help: "Database connections the writers share (default: one per writer).")
    var poolSize: Int = 16

    func run() async throws { try await reporting { try await runCommand() } }

    func runCommand() async throws {
        let scratch = try await BenchScratch.make(options)
        let database = scratch.database(maxConnections: poolSize + 1)
        do {
            print("varde-bench append — \(Int(seconds)) s per scenario, \(poolSize) connections, \(try await scratch.settings())")
            try await database.withConnection { try $0.execute("CREATE TABLE bare (LIKE events INCLUDING ALL)") }
            let store = EventStore(database: database)
            print("scenario                              writers   events/s")
            for (batch, writers) in [(1, 1), (1, 16), (100, 1), (100, 16)] {
                let rate = try await measure(writers: writers) {
                    _ = try await store.append(to: "patient-\(UUID())", expected: .noStream, (0..<batch).map { _ in Self.event() })
                    return batch
                }
                print(row("varde_append, \(batch) per transaction", writers, rate))
            }
            for writers in [1, 16] {
                let rate = try await measure(writers: writers) {
                    try await database.withConnection { try Self.bareInsert($0, count: 100) }
                    return 100
                }
                print(row("bare INSERT, 100 rows per statement", writers, rate))
            }
        } catch {
            print("benchmark failed: \(error)")
        }
        await database.close()
        await scratch.drop()
    }

    private func row(_ name: String, _ writers: Int, _ rate: Double) -> String {
        name.padding(toLength: 38, withPad: " ", startingAt: 0) + String(writers).leftPad(7) + String(Int(rate)).leftPad(11)
    }

    /// Runs `writers` loops for `seconds`; returns events per second.
    private func measure(writers: Int, _ work: @escaping @Sendable () async throws -> Int) async throws -> Double {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<writers {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline { count += try await work() }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / (ContinuousClock.now - start).seconds
    }

    static func event() -> NewEvent {
        NewEvent(
            id: UUID(), type: "ReadingRecorded",
            data: Data(#"{"kind":"spo2","value":94,"measuredAt":"2026-11-23T08:00:00Z","gatewayReadingID":"r-1"}"#.utf8),
            metadata: EventMetadata(actor: "gateway:bench", role: "gateway"))
    }

    static func bareInsert(_ connection: PGConnection, count: Int) throws {
        var values: [String] = []
        var parameters: [(any PGParameter)?] = []
        let data = String(decoding: event().data, as: UTF8.self)
        for i in 0..<count {
            let n = i * 5
            values.append(
                "(nextval('events_position_seq'), $\(n + 1), 1, $\(n + 2)::uuid, 'ReadingRecorded', 1, $\(n + 3)::jsonb, $\(n + 4)::jsonb, now(), $\(n + 5)::bytea)"
            )
            parameters += [
                "patient-\(UUID())", UUID(), data, #"{"actor":"gateway:bench","role":"gateway"}"#,
                "\\x" + Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255) }),
            ]
        }
        try connection.query("INSERT INTO bare VALUES " + values.joined(separator: ","), parameters)
    }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
