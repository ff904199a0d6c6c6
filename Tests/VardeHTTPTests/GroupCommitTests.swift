import Foundation
import Testing

@testable import VardeHTTP

/// The group commit behind ingest, on its own (no database): which jobs go
/// together, what each is answered, and what happens when a run fails.
@Suite("Group commit")
struct GroupCommitTests {
    /// Records the groups a run was given; the first run waits until released.
    actor Recorder {
        var groups: [[String]] = []
        private var gate: CheckedContinuation<Void, Never>?
        private var holding = true
        private var entered: CheckedContinuation<Void, Never>?
        private var hasEntered = false

        func run(_ jobs: [String]) async throws -> [String] {
            groups.append(jobs)
            if groups.count == 1 {
                hasEntered = true
                entered?.resume()
                if holding { await withCheckedContinuation { gate = $0 } }
            }
            if let bad = jobs.first(where: { $0.hasPrefix("bad") }) { throw RunFailed(job: bad) }
            return jobs.map { "done " + $0 }
        }

        func firstRunEntered() async {
            if !hasEntered { await withCheckedContinuation { entered = $0 } }
        }

        func release() {
            holding = false
            gate?.resume()
            gate = nil
        }
    }

    struct RunFailed: Error, Equatable { var job: String }

    /// Submits `first`, waits until its run is in flight, then submits the
    /// rest (waiting until each is queued), releases the first run and
    /// returns every job's outcome.
    private func scenario(
        lanes: Int, maxWeight: Int, first: String, then rest: [(job: String, weight: Int)]
    ) async throws -> (Recorder, [String: Result<String, RunFailed>]) {
        let queue = GroupCommit<String, String>(lanes: lanes, maxWeight: maxWeight, maxWaitingWeight: 1_000)
        let recorder = Recorder()
        let run: GroupCommit<String, String>.Run = { try await recorder.run($0) }
        var tasks: [(String, Task<String, any Error>)] = []
        tasks.append((first, Task { try await queue.submit(first, weight: 1, run: run) }))
        await recorder.firstRunEntered()
        for (n, (job, weight)) in rest.enumerated() {
            tasks.append((job, Task { try await queue.submit(job, weight: weight, run: run) }))
            while await queue.waitingCount < n + 1 { await Task.yield() }
        }
        await recorder.release()
        var outcomes: [String: Result<String, RunFailed>] = [:]
        for (job, task) in tasks {
            do { outcomes[job] = .success(try await task.value) } catch let error as RunFailed { outcomes[job] = .failure(error) }
        }
        return (recorder, outcomes)
    }

    @Test("jobs that arrive while a run is in flight go together in the next run, in order, each answered on its own")
    func combines() async throws {
        let (recorder, outcomes) = try await scenario(lanes: 1, maxWeight: 100, first: "a", then: [("b", 1), ("c", 1), ("d", 1)])
        #expect(await recorder.groups == [["a"], ["b", "c", "d"]])
        #expect(outcomes == ["a": .success("done a"), "b": .success("done b"), "c": .success("done c"), "d": .success("done d")])
    }

    @Test("a run takes no more than its weight limit; a heavier job runs alone")
    func weightLimit() async throws {
        let (recorder, _) = try await scenario(lanes: 1, maxWeight: 5, first: "a", then: [("b", 3), ("c", 2), ("d", 4), ("e", 9)])
        #expect(await recorder.groups == [["a"], ["b", "c"], ["d"], ["e"]])
    }

    @Test("with no run in flight a job runs at once, alone")
    func idle() async throws {
        let queue = GroupCommit<String, String>(lanes: 1, maxWeight: 100, maxWaitingWeight: 1_000)
        let recorder = Recorder()
        await recorder.release()
        for job in ["x", "y"] {
            #expect(try await queue.submit(job, weight: 1) { try await recorder.run($0) } == "done " + job)
        }
        #expect(await recorder.groups == [["x"], ["y"]])
    }

    @Test("when a combined run fails, each job is run again alone: only the failing job gets the error")
    func failureIsolated() async throws {
        let (recorder, outcomes) = try await scenario(lanes: 1, maxWeight: 100, first: "a", then: [("b", 1), ("bad-c", 1), ("d", 1)])
        #expect(await recorder.groups == [["a"], ["b", "bad-c", "d"], ["b"], ["bad-c"], ["d"]])
        #expect(outcomes["b"] == .success("done b") && outcomes["d"] == .success("done d"))
        #expect(outcomes["bad-c"] == .failure(RunFailed(job: "bad-c")))
    }

    @Test("with two lanes a second run starts, and finishes, while the first is still in flight")
    func lanes() async throws {
        let queue = GroupCommit<String, String>(lanes: 2, maxWeight: 100, maxWaitingWeight: 1_000)
        let recorder = Recorder()
        let first = Task { try await queue.submit("a", weight: 1) { try await recorder.run($0) } }
        await recorder.firstRunEntered()
        #expect(try await queue.submit("b", weight: 1) { try await recorder.run($0) } == "done b")
        #expect(await recorder.groups == [["a"], ["b"]])
        await recorder.release()
        #expect(try await first.value == "done a")
    }

    @Test("beyond its waiting weight the queue refuses at once with 503 and Retry-After; what waits is still answered")
    func bounded() async throws {
        let queue = GroupCommit<String, String>(lanes: 1, maxWeight: 100, maxWaitingWeight: 5)
        let recorder = Recorder()
        let run: GroupCommit<String, String>.Run = { try await recorder.run($0) }
        let first = Task { try await queue.submit("a", weight: 1, run: run) }
        await recorder.firstRunEntered()
        let waiting = Task { try await queue.submit("b", weight: 4, run: run) }
        while await queue.waitingCount < 1 { await Task.yield() }
        do {
            _ = try await queue.submit("c", weight: 2, run: run)
            Issue.record("a job beyond the bound was queued")
        } catch let problem as Problem {
            #expect(problem.status == .serviceUnavailable && problem.headers[.retryAfter] == "1")
        }
        await recorder.release()
        let answers = (try await first.value, try await waiting.value)
        #expect(answers == ("done a", "done b"))
        #expect(await recorder.groups == [["a"], ["b"]])
        // A single job heavier than the bound still runs when nothing waits.
        #expect(try await queue.submit("big", weight: 50, run: run) == "done big")
    }
}
