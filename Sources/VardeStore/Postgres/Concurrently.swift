import Foundation
import NIOConcurrencyHelpers

/// Runs `body(0)` … `body(count - 1)` at once, each on a thread of its own
/// (blocking work with connections of their own, from inside a synchronous
/// section), and returns their results in order; the first error is thrown
/// once all have returned.
func concurrently<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
    let results = NIOLockedValueBox<[Int: Result<T, any Error>]>([:])
    DispatchQueue.concurrentPerform(iterations: count) { i in
        let result = Result { try body(i) }
        results.withLockedValue { $0[i] = result }
    }
    return try results.withLockedValue { r in try (0..<count).map { try r[$0]!.get() } }
}
