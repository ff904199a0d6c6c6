import Foundation
import VardeCore
import VardeStore

/// The ingest pipeline behind `POST /v1/readings` and the FHIR endpoints:
/// validate units and plausibility, resolve the patient through the device
/// binding in force at the measured time, then record all readings of the
/// batch in one transaction (with their alerts). Idempotent: a reading's event
/// id is derived from the gateway and its reading id, so a retry is answered
/// `duplicate` with the original event id and stores nothing.
struct Ingest {
    let services: AppServices

    /// With `allOrNothing` (FHIR transactions), nothing is stored unless every
    /// item would be: the first refusal is returned and the rest come back
    /// `notAttempted`, with no event written.
    func run(
        _ items: [Result<ReadingSubmission, IngestError>], caller: Caller, requestID: String, route: String,
        allOrNothing: Bool = false
    ) async throws -> [IngestResult] {
        let now = services.now
        var results = [IngestResult?](repeating: nil, count: items.count)
        var accepted: [(index: Int, submission: ReadingSubmission, value: MeasurementValue)] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .failure(let error): results[index] = .rejected(error)
            case .success(let submission):
                do {
                    let value = try ReadingValidator.validate(submission, receivedAt: now, maxFutureSkew: services.configuration.maxFutureSkew)
                    accepted.append((index, submission, value))
                } catch {
                    results[index] = .rejected(.from(error))
                }
            }
        }
        let gateway = caller.gatewayID
        let ids = accepted.map { DeterministicID.readingEventID(gateway: gateway, gatewayReadingID: $0.submission.gatewayReadingID) }
        let submissions = accepted.map(\.submission)
        let (resolver, stored) = try await services.database.withConnection { c in
            let stored = try c.query("SELECT event_id FROM events WHERE event_id = ANY($1::uuid[])",
                                     ["{" + ids.map { $0.lowercasedText }.joined(separator: ",") + "}"])
            // A retry may find its readings a moment after a concurrent first
            // attempt committed them and before that commit reached the disk:
            // answer "duplicate" only once it has.
            if stored.rowCount > 0 { try c.awaitDurability() }
            return (try SubjectResolver.load(submissions, connection: c),
                    Set((0..<stored.rowCount).compactMap { UUID(uuidString: stored.string($0, 0)!) }))
        }
        var work: [(index: Int, item: PatientRepository.Item)] = []
        for (n, a) in accepted.enumerated() {
            if stored.contains(ids[n]) {
                results[a.index] = .duplicate(eventID: ids[n])
                continue
            }
            switch resolver.resolve(a.submission) {
            case .failure(let error): results[a.index] = .rejected(error)
            case .success(let (patient, device)):
                let s = a.submission
                let reading = ReadingToRecord(
                    readingEventID: ids[n], gatewayReadingID: s.gatewayReadingID, gateway: gateway, deviceSerial: device,
                    measuredAt: EventDate.normalized(s.measuredAt), value: a.value,
                    asSent: ReadingAsSent(unit: s.unit, value: s.value, systolic: s.systolic, diastolic: s.diastolic, pulse: s.pulse))
                work.append((a.index, PatientRepository.Item(patientID: patient, command: .recordReading(reading))))
            }
        }
        guard !work.isEmpty else { return results.map { $0! } }
        let context = DecisionContext(now: now, actor: ActorRef(subject: caller.subject, role: caller.role.rawValue))
        if allOrNothing, results.contains(where: { if case .rejected = $0 { true } else { false } }) {
            return results.map { $0 ?? .rejected(.notAttempted) }
        }
        let entries = Set(work.map(\.item.patientID)).sorted { $0.uuidString < $1.uuidString }.map {
            AccessEntry(requestID: requestID, subject: caller.subject, role: caller.role.rawValue, teams: [], patientID: $0,
                        action: "postReadings", route: route)
        }
        let execution: PatientRepository.Execution
        do {
            // Decided under the patients' stream locks: a concurrent request
            // with the same readings either stored them first (then these
            // decide to nothing: duplicates) or waits for this one.
            execution = try await services.patients.execute(
                work.map(\.item), context: context,
                metadata: EventMetadata(actor: caller.subject, role: caller.role.rawValue, gateway: gateway, requestID: requestID),
                allOrNothing: allOrNothing
            ) { try $0.logAccess(entries) }
        } catch let refused as PatientRepository.Refused {
            results[work[refused.index].index] = .rejected(.from(refused.error))
            return results.map { $0 ?? .rejected(.notAttempted) }
        }
        // Once answered, the readings are visible to every read (views, FHIR search).
        await services.awaitProjection(execution.position)
        for (w, outcome) in zip(work, execution.outcomes) {
            switch outcome.result {
            case .failure(let error): results[w.index] = .rejected(.from(error))
            case .success(let events) where events.isEmpty:
                guard case .recordReading(let r) = w.item.command else { continue }
                let original = outcome.state.existingReading(gateway: gateway, gatewayReadingID: r.gatewayReadingID) ?? r.readingEventID
                results[w.index] = .duplicate(eventID: original)
            case .success(let events):
                results[w.index] = .created(eventID: events[0].id)
            }
        }
        return results.map { $0! }
    }
}
