import Metrics

/// Group commit: jobs that arrive while `lanes` runs are in flight wait, and
/// all that waited go together in the next run. With no load a job runs at
/// once, alone; under load many small requests share one transaction, one
/// set of lookups and one disk flush, instead of queueing for connections and
/// the position lock one by one.
///
/// A run answers each of its jobs. When a run of several jobs fails as a
/// whole, each job is run again on its own, so that one job's failure is
/// never reported to another.
actor GroupCommit<Job: Sendable, Output: Sendable> {
    typealias Run = @Sendable ([Job]) async throws -> [Output]

    /// Runs in flight at once.
    let lanes: Int
    /// The most weight (e.g. readings) one run takes; a heavier job runs alone.
    let maxWeight: Int
    /// The most weight that may wait for a lane; a job beyond it is refused at
    /// once (503, retry shortly) instead of queueing without bound while the
    /// database is slow.
    let maxWaitingWeight: Int

    private struct Waiting: Sendable {
        var job: Job
        var weight: Int
        var continuation: CheckedContinuation<Output, any Error>
    }

    private var waiting: [Waiting] = []
    private var waitingWeight = 0
    private var running = 0

    /// Jobs waiting for a lane.
    var waitingCount: Int { waiting.count }

    init(lanes: Int, maxWeight: Int, maxWaitingWeight: Int) {
        precondition(lanes >= 1 && maxWeight >= 1)
        self.lanes = lanes
        self.maxWeight = maxWeight
        self.maxWaitingWeight = maxWaitingWeight
    }

    /// Runs `job`, possibly together with others, through `run` (which must
    /// answer each job of its argument, in order).
    func submit(_ job: Job, weight: Int, run: @escaping Run) async throws -> Output {
        guard waiting.isEmpty || waitingWeight + weight <= maxWaitingWeight else { throw Problem.overloaded }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(job: job, weight: weight, continuation: continuation))
            waitingWeight += weight
            startRuns(run)
        }
    }

    private func startRuns(_ run: @escaping Run) {
        while running < lanes, !waiting.isEmpty {
            var count = 1, weight = waiting[0].weight
            while count < waiting.count, weight + waiting[count].weight <= maxWeight {
                weight += waiting[count].weight
                count += 1
            }
            let group = Array(waiting.prefix(count))
            waiting.removeFirst(count)
            waitingWeight -= weight
            Recorder(label: "varde_group_commit_batch_weight").record(weight)
            Recorder(label: "varde_group_commit_batch_requests").record(count)
            running += 1
            Task { await self.execute(group, run) }
        }
    }

    private func execute(_ group: [Waiting], _ run: @escaping Run) async {
        var outcomes = await Self.attempt(group.map(\.job), run)
        if group.count > 1, case .failure = outcomes[0] {
            outcomes = []
            for waiting in group { outcomes += await Self.attempt([waiting.job], run) }
        }
        for (waiting, outcome) in zip(group, outcomes) { waiting.continuation.resume(with: outcome) }
        running -= 1
        startRuns(run)
    }

    private static func attempt(_ jobs: [Job], _ run: Run) async -> [Result<Output, any Error>] {
        do {
            let outputs = try await run(jobs)
            precondition(outputs.count == jobs.count, "a group-commit run must answer every job")
            return outputs.map { .success($0) }
        } catch {
            return jobs.map { _ in .failure(error) }
        }
    }
}
