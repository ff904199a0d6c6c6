import Foundation
import Logging
import VardeAuth
import VardeCore
import VardeStore

/// What the controllers share: the database, the event store, the patient
/// repository, and the projector's progress for read-your-writes.
public struct AppServices: Sendable {
    public let database: Database
    public let store: EventStore
    public let patients: PatientRepository
    /// Position the projector has applied (this process's projector).
    public let projected: Watermark
    /// The log's head as notifications report it, and whether the projector
    /// keeps up: what `/readyz` reports.
    public let head: Watermark
    public let projectorHealth: SubscriptionHealth
    /// The one clock every handler reads the time from.
    public let clock: any WallClock
    /// Wakes long polls when their team's feed changes (fed by `NotificationListener`).
    public let feeds = FeedSignals()
    /// Caps on waiting long polls.
    let polls: PollLimiter
    /// Set on graceful shutdown (see `Drain`).
    public let drain = DrainState()
    /// Failed sign-ins per client address.
    let authFailures: FailureLimiter
    /// Web sign-ins started per client address: each stores a pending row
    /// before anyone is known (`WebSessionStore.begin`).
    let signInStarts = FailureLimiter(limit: WebApp.signInStartsPerMinute)
    public let configuration: Configuration
    public let verifier: StaffVerifier?
    /// Group commit of ingest requests (see `Ingest`).
    let ingestQueue: GroupCommit<IngestRequest, Ingest.Recorded>
    /// Gateway keys already checked (see `AuthMiddleware`), emptied by
    /// `NotificationListener` and by a revocation here.
    public let gatewayKeys = GatewayKeyCache()

    public init(
        database: Database, store: EventStore, patients: PatientRepository, projected: Watermark,
        configuration: Configuration, verifier: StaffVerifier?, head: Watermark = Watermark(),
        projectorHealth: SubscriptionHealth = SubscriptionHealth(), clock: any WallClock = SystemClock()
    ) {
        self.clock = clock
        self.database = database
        self.store = store
        self.patients = patients
        self.projected = projected
        self.head = head
        self.projectorHealth = projectorHealth
        self.configuration = configuration
        self.verifier = verifier
        self.authFailures = FailureLimiter(limit: configuration.authFailuresPerMinute)
        self.polls = PollLimiter(perCaller: configuration.maxLongPollsPerCaller, total: configuration.maxLongPolls)
        self.ingestQueue = GroupCommit(
            lanes: configuration.ingestLanes, maxWeight: ReadingController.maxBatch, maxWaitingWeight: 20 * ReadingController.maxBatch)
    }

    /// Waits (briefly) until the read models include `position`, so that a
    /// client that changed something and reads it back sees its change. The
    /// change itself is durable either way; a projector that falls this far
    /// behind is worth an operator's look, so the timeout is logged.
    ///
    /// While the projector is failing (the database restarting, an event it
    /// cannot read) there is nothing to wait for: the change is answered at
    /// once, and its read models follow when the projector does.
    public func awaitProjection(_ position: Int64) async {
        guard position > 0 else { return }
        let deadline = ContinuousClock.now + .seconds(5)
        while projectorHealth.failure == nil, ContinuousClock.now < deadline {
            if await projected.wait(until: position, timeout: min(.milliseconds(250), deadline - ContinuousClock.now)) { return }
        }
        if projected.value < position {
            Self.logger.warning(
                "answering before the read models show the change: the projector is more than 5 s behind, or failing",
                metadata: ["position": "\(position)", "projected": "\(projected.value)"])
        }
    }

    private static let logger = Logger(label: "varde.projection")

    public var now: Date { clock.now() }
}
