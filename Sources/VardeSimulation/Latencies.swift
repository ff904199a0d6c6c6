import Foundation
import Histogram
import Synchronization

/// Request latencies by kind of request, in HdrHistograms (microseconds,
/// three significant digits), and how many requests of each kind.
public final class Latencies: Sendable {
    private let histograms = Mutex<[String: Histogram<UInt64>]>([:])

    public init() {}

    public func record(_ kind: String, _ duration: Duration) {
        let micros = UInt64(max(0, duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000))
        histograms.withLock { h in
            if h[kind] == nil { h[kind] = Histogram(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three) }
            _ = h[kind]!.record(min(micros, 120_000_000))
        }
    }

    public struct Summary: Sendable, Codable, Equatable {
        public var kind: String
        public var count: UInt64
        public var p50ms: Double
        public var p90ms: Double
        public var p99ms: Double
        public var p999ms: Double
        public var maxms: Double
    }

    public func summaries() -> [Summary] {
        histograms.withLock { h in
            h.keys.sorted().map { k in
                let x = h[k]!
                func ms(_ p: Double) -> Double { Double(x.valueAtPercentile(p)) / 1000 }
                return Summary(
                    kind: k, count: x.totalCount, p50ms: ms(50), p90ms: ms(90), p99ms: ms(99), p999ms: ms(99.9),
                    maxms: Double(x.max) / 1000)
            }
        }
    }
}
