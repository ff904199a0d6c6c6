import Foundation
import VardeCore
import VardeStore

/// One request's readings, as handed to the ingest pipeline.
struct IngestRequest: Sendable {
    var items: [Result<ReadingSubmission, IngestError>]
    var caller: Caller
    var requestID: String
    var route: String
    /// The request's W3C `traceparent` (see `TraceContext`), for the events' metadata.
    var traceparent: String? = TraceContext.current
    /// When the request arrived: the clock for the future-skew check and `receivedAt`.
    var receivedAt: Date
}

/// The ingest pipeline behind `POST /v1/readings` and the FHIR endpoints:
/// validate units and plausibility, resolve the patient through the device
/// binding in force at the measured time, then record the readings in one
/// transaction (with their alerts). Idempotent: a reading's event id is
/// derived from the gateway and its reading id, so a retry is answered
/// `duplicate` with the original event id and stores nothing.
///
/// Requests go through the server's group commit (`AppServices.ingestQueue`):
/// requests that arrive while others are being written are recorded together,
/// each item still judged on its own and each request answered on its own.
struct Ingest {
    let services: AppServices

    /// With `allOrNothing` (FHIR transactions), nothing is stored unless every
    /// item would be: the first refusal is returned and the rest come back
    /// `notAttempted`, with no event written. Such a request is recorded alone.
    func run(
        _ items: [Result<ReadingSubmission, IngestError>], caller: Caller, requestID: String, route: String,
        allOrNothing: Bool = false
    ) async throws -> [IngestResult] {
        let request = IngestRequest(items: items, caller: caller, requestID: requestID, route: route, receivedAt: services.now)
        let recorded: Recorded
        if allOrNothing {
            recorded = try await record([request], allOrNothing: true)[0]
        } else {
            let services = services
            recorded = try await services.ingestQueue.submit(request, weight: items.count) {
                try await Ingest(services: services).record($0, allOrNothing: false)
            }
        }
        // Once answered, the readings are visible to every read (views, FHIR
        // search). Waited for outside the group commit, which is free for the
        // next requests meanwhile.
        await services.awaitProjection(recorded.position)
        for result in recorded.results { result.count() }
        return recorded.results
    }

    /// What became of one request's items, and the position from which what
    /// they name is readable (0 when none was decided in the transaction).
    struct Recorded: Sendable {
        var results: [IngestResult]
        var position: Int64
    }

    /// An accepted item: which request and item it is, and what it will record.
    private struct Accepted {
        var request: Int
        var index: Int
        var submission: ReadingSubmission
        var value: MeasurementValue
        var eventID: UUID
    }

    /// Records the readings of several requests in one transaction; answers
    /// each request, in order.
    func record(_ requests: [IngestRequest], allOrNothing: Bool) async throws -> [Recorded] {
        do {
            return try await record(requests, allOrNothing: allOrNothing, again: false)
        } catch AppendError.partialDuplicate {
            return try await record(requests, allOrNothing: allOrNothing, again: true)
        }
    }

    /// `again`: once more, after a decision met readings in the log that its
    /// lookup had not seen (a concurrent request stored the same readings, and
    /// the patient's state no longer retains them: `PatientState.retainedPerKind`).
    /// The new lookup finds them, and they are answered as retries.
    private func record(_ requests: [IngestRequest], allOrNothing: Bool, again: Bool) async throws -> [Recorded] {
        var results = requests.map { [IngestResult?](repeating: nil, count: $0.items.count) }
        var accepted: [Accepted] = []
        for (r, request) in requests.enumerated() {
            for (index, item) in request.items.enumerated() {
                switch item {
                case .failure(let error): results[r][index] = .rejected(error)
                case .success(let submission):
                    do {
                        let value = try ReadingValidator.validate(
                            submission, receivedAt: request.receivedAt, maxFutureSkew: services.configuration.maxFutureSkew)
                        let id = DeterministicID.readingEventID(
                            gateway: request.caller.gatewayID, gatewayReadingID: submission.gatewayReadingID)
                        accepted.append(Accepted(request: r, index: index, submission: submission, value: value, eventID: id))
                    } catch {
                        results[r][index] = .rejected(.from(error))
                    }
                }
            }
        }
        var positions = requests.map { _ in Int64(0) }
        // An item repeated in the batch (same event id) is answered as its first.
        var firstOfID: [UUID: Accepted] = [:]
        var repeats: [(item: Accepted, of: Accepted)] = []
        // Every request's answer as it stands (unanswered items: not attempted).
        let answers = {
            for (item, of) in repeats {
                results[item.request][item.index] = results[of.request][of.index].map(Self.repeated)
                positions[item.request] = max(positions[item.request], positions[of.request])
            }
            return zip(results, positions).map { Recorded(results: $0.map { $0 ?? .rejected(.notAttempted) }, position: $1) }
        }
        guard !accepted.isEmpty else { return answers() }
        let resolver = try await lookUp(accepted)
        var work: [(accepted: Accepted, item: PatientRepository.Item)] = []
        // Refused items that named a patient: logged as attempts.
        var attempts: [(request: Int, patient: UUID)] = []
        for a in accepted {
            if let stored = resolver.lookup.stored[a.eventID] {
                results[a.request][a.index] = Self.retry(a.submission, stored: stored, eventID: a.eventID, resolver: resolver)
                continue
            }
            if let earlier = firstOfID[a.eventID] {
                if let field = earlier.submission.content.difference(from: a.submission.content)
                    ?? (resolver.named(earlier.submission) == resolver.named(a.submission) ? nil : a.submission.subject.pointer)
                {
                    results[a.request][a.index] = .rejected(.from(.reused(field: field)))
                } else {
                    repeats.append((a, earlier))
                }
                continue
            }
            firstOfID[a.eventID] = a
            switch resolver.resolve(a.submission, served: Set(requests[a.request].caller.teams)) {
            case .refused(let error, let patient):
                results[a.request][a.index] = .rejected(error)
                if let patient { attempts.append((a.request, patient)) }
            case .resolved(let patient, let device):
                work.append((a, item(a, requests[a.request], patient: patient, device: device)))
            }
        }
        let refusals = accessEntries(attempts, requests, outcome: .refused)
        if work.isEmpty || (allOrNothing && results.joined().contains(where: { if case .rejected = $0 { true } else { false } })) {
            if !refusals.isEmpty { try await services.database.read { try $0.logAccess(refusals) } }
            return answers()
        }
        let first = requests[work[0].accepted.request]
        let execution: PatientRepository.Execution
        do {
            // Decided under the patients' stream locks: a concurrent request
            // with the same readings either stored them first (then these
            // decide to nothing: duplicates) or waits for this one.
            // A repeat writes for the patient of its first as much as the first does.
            let patientOf = Dictionary(work.map { ($0.accepted.eventID, $0.item.patientID) }, uniquingKeysWith: { a, _ in a })
            let writers =
                work.map { ($0.accepted.request, $0.item.patientID) }
                + repeats.compactMap { r in patientOf[r.of.eventID].map { (r.item.request, $0) } }
            let entries = accessEntries(writers, requests) + refusals
            execution = try await services.patients.execute(
                work.map(\.item), context: Self.context(first), metadata: Self.metadata(first), allOrNothing: allOrNothing,
                writing: [try PGConnection.accessLogStatement(entries)].compactMap { $0 })
        } catch let refused as PatientRepository.Refused {
            let a = work[refused.index].accepted
            results[a.request][a.index] = .rejected(.from(refused.error))
            return answers()
        }
        if execution.storedAlready && !again { throw AppendError.partialDuplicate }
        for (w, outcome) in zip(work, execution.outcomes) {
            let a = w.accepted
            if case .success = outcome.result { positions[a.request] = execution.position }
            switch outcome.result {
            case .failure(let error): results[a.request][a.index] = .rejected(.from(error))
            case .success(let events) where events.isEmpty:
                let gateway = requests[a.request].caller.gatewayID
                let original = outcome.state.existingReading(gateway: gateway, gatewayReadingID: a.submission.gatewayReadingID) ?? a.eventID
                results[a.request][a.index] = .duplicate(eventID: original)
            case .success(let events):
                results[a.request][a.index] = .created(eventID: events[0].id)
            }
        }
        return answers()
    }

    /// The readings already stored under the items' event ids, and the
    /// patients and device bindings the items refer to.
    private func lookUp(_ accepted: [Accepted]) async throws -> SubjectResolver {
        let ids = accepted.map(\.eventID)
        let names = SubjectResolver.names(in: accepted.map(\.submission))
        let lookup = try await services.database.read {
            try $0.ingestLookup(eventIDs: ids, serials: names.serials, patients: names.patients, nationalIDs: names.nationalIDs)
        }
        return SubjectResolver(lookup: lookup)
    }

    /// The answer to an item that repeats an earlier item of the batch.
    static func repeated(_ answer: IngestResult) -> IngestResult {
        if case .created(let id) = answer { .duplicate(eventID: id) } else { answer }
    }

    /// An item whose event id is stored already: a retry when it says what the
    /// stored reading says (about the same patient), else a reused id.
    static func retry(_ s: ReadingSubmission, stored: StoredReading, eventID: UUID, resolver: SubjectResolver) -> IngestResult {
        guard let content = stored.content else {
            return .rejected(.from(.conflict("reading event id is already used by another event")))
        }
        if let field = content.difference(from: s.content) { return .rejected(.from(.reused(field: field))) }
        if let named = resolver.named(s), named != stored.patient {
            return .rejected(.from(.reused(field: s.subject.pointer)))
        }
        return .duplicate(eventID: eventID)
    }

    private func item(_ a: Accepted, _ request: IngestRequest, patient: UUID, device: String?) -> PatientRepository.Item {
        let s = a.submission
        let reading = ReadingToRecord(
            readingEventID: a.eventID, gatewayReadingID: s.gatewayReadingID, gateway: request.caller.gatewayID, deviceSerial: device,
            measuredAt: EventDate.normalized(s.measuredAt), measuredBefore: s.measuredBefore, value: a.value,
            asSent: ReadingAsSent(unit: s.unit, value: s.value, systolic: s.systolic, diastolic: s.diastolic, pulse: s.pulse),
            clockOffset: s.clockOffset)
        return PatientRepository.Item(
            patientID: patient, command: .recordReading(reading), context: Self.context(request), metadata: Self.metadata(request))
    }

    private static func context(_ request: IngestRequest) -> DecisionContext {
        DecisionContext(now: request.receivedAt, actor: ActorRef(subject: request.caller.subject, role: request.caller.role.rawValue))
    }

    private static func metadata(_ request: IngestRequest) -> EventMetadata {
        EventMetadata(
            actor: request.caller.subject, role: request.caller.role.rawValue, gateway: request.caller.gatewayID,
            requestID: request.requestID, traceparent: request.traceparent)
    }

    /// One access-log entry per request and patient written for (or refused).
    private func accessEntries(
        _ pairs: [(request: Int, patient: UUID)], _ requests: [IngestRequest], outcome: AccessOutcome = .allowed
    ) -> [AccessEntry] {
        var patients = requests.map { _ in Set<UUID>() }
        for pair in pairs { patients[pair.request].insert(pair.patient) }
        return zip(requests, patients).flatMap { request, ids in
            ids.sorted { $0.uuidString < $1.uuidString }.map {
                AccessEntry(
                    requestID: request.requestID, subject: request.caller.subject, role: request.caller.role.rawValue,
                    teams: [], patientID: $0, action: "postReadings", route: request.route, outcome: outcome)
            }
        }
    }
}
