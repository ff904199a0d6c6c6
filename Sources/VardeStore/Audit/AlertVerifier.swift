import Foundation
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

    public func verify(_ c: PGConnection, stream only: String? = nil, progress: (Int) -> Void = { _ in }) throws -> (differences: [Difference], events: Int) {
        let streams: [String]
        if let only {
            streams = [only]
        } else {
            let r = try c.query("SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'patient-%' ORDER BY 1")
            streams = (0..<r.rowCount).map { r.string($0, 0)! }
        }
        var differences: [Difference] = [], events = 0
        for stream in streams {
            let recorded = try c.readStream(stream)
            events += recorded.count
            var decoded: [(version: Int64, event: PatientEvent)] = []
            for e in recorded {
                do {
                    decoded.append((e.version, try PatientEvent.decode(type: e.type, schemaVersion: e.schemaVersion, data: e.data)))
                } catch {
                    differences.append(Difference(stream: stream, version: e.version, detail: "\(e.type) does not decode"))
                }
            }
            differences += AlertReplay.check(decoded).map { Difference(stream: stream, version: $0.version, detail: $0.detail) }
            progress(events)
        }
        return (differences, events)
    }
}
