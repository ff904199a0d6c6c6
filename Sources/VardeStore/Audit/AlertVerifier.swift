import Foundation
import NIOConcurrencyHelpers
import VardeCore

/// Runs `AlertReplay` over every patient stream (or one).
public struct AlertVerifier: Sendable {
    public struct Difference: Sendable, Codable, Equatable, CustomStringConvertible {
        public var stream: String
        public var version: Int64
        public var detail: String
        public var description: String { "\(stream) version \(version): \(detail)" }
    }

    public init() {}

    public func verify(_ c: PGConnection, stream only: String? = nil, progress: (Int) -> Void = { _ in }) throws -> (
        differences: [Difference], events: Int
    ) {
        let streams = try only.map { [$0] } ?? Self.patientStreams(c)
        var total = 0
        return (
            try verify(c, streams: streams) {
                total += $0
                progress(total)
            }, total
        )
    }

    /// Every patient stream, split over `workers` connections: streams are
    /// independent, so they are checked side by side (one core each).
    public func verify(_ database: Database, workers: Int = 2, progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> (
        differences: [Difference], events: Int
    ) {
        let streams = try await database.withConnection { try Self.patientStreams($0) }
        let total = NIOLockedValueBox(0)
        let differences = try await withThrowingTaskGroup(of: [Difference].self) { group in
            for worker in 0..<max(1, workers) {
                let mine = stride(from: worker, to: streams.count, by: max(1, workers)).map { streams[$0] }
                group.addTask {
                    try await database.withConnection { c in
                        try self.verify(c, streams: mine) { n in
                            progress(
                                total.withLockedValue {
                                    $0 += n
                                    return $0
                                })
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        return (differences.sorted { ($0.stream, $0.version) < ($1.stream, $1.version) }, total.withLockedValue { $0 })
    }

    private static func patientStreams(_ c: PGConnection) throws -> [String] {
        let r = try c.query("SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'patient-%' ORDER BY 1")
        return try r.rows { try r.requireString($0, 0) }
    }

    /// `counted` gets the number of events of each stream once it is checked.
    private func verify(_ c: PGConnection, streams: [String], counted: (Int) -> Void) throws -> [Difference] {
        var differences: [Difference] = []
        for stream in streams {
            let recorded = try c.readStream(stream)
            var decoded: [(version: Int64, event: PatientEvent)] = []
            for e in recorded {
                do {
                    decoded.append((e.version, try PatientEvent.decode(type: e.type, schemaVersion: e.schemaVersion, data: e.data)))
                } catch {
                    differences.append(Difference(stream: stream, version: e.version, detail: "\(e.type) does not decode"))
                }
            }
            differences += AlertReplay.check(decoded).map { Difference(stream: stream, version: $0.version, detail: $0.detail) }
            counted(recorded.count)
        }
        return differences
    }
}
