import Foundation
import VardeCore
import VardeStore

/// Why an alert exists: the reading (or sweep) that raised it, the rule and
/// the threshold version that judged it with its values (for a weight gain
/// also the baseline: the lowest earlier weight in the window, as the stream
/// stood when the reading came), and every later step, each as the stored
/// event with who did it and when.
struct AlertExplanation {
    struct Head: Encodable {
        var alertId: UUID
        var patientId: UUID
        var rule: String
        var measurement: String
        var severity: String
        var value: Double
        var limit: Double
        var thresholdVersion: Int
    }

    var head: Head
    var raised: RecordedEvent
    var reading: RecordedEvent?
    var baseline: (kg: Double, reading: RecordedEvent)?
    var thresholds: RecordedEvent?
    var steps: [RecordedEvent] = []

    init(alertID: UUID, patientID: UUID, events: [RecordedEvent]) throws {
        var raised: (RecordedEvent, AlertRaised)?
        var thresholds: [Int: RecordedEvent] = [:], readings: [UUID: RecordedEvent] = [:]
        for e in events {
            switch try PatientEvent.decode(type: e.type, schemaVersion: e.schemaVersion, data: e.data) {
            case .alertRaised(let a) where a.alertId == alertID: raised = (e, a)
            case .alertUpdated(let a) where a.alertId == alertID: steps.append(e)
            case .alertAcknowledged(let a) where a.alertId == alertID: steps.append(e)
            case .alertEscalated(let a) where a.alertId == alertID: steps.append(e)
            case .alertResolved(let a) where a.alertId == alertID: steps.append(e)
            case .thresholdsChanged(let t): thresholds[t.version] = e
            case .readingRecorded(let r): readings[r.readingId] = e
            default: break
            }
        }
        guard let raised else { throw Problem.notFound("alert") }
        let body = raised.1
        self.raised = raised.0
        head = Head(
            alertId: alertID, patientId: patientID, rule: body.rule.rawValue, measurement: body.measurement.rawValue,
            severity: body.severity.rawValue, value: body.value, limit: body.limit, thresholdVersion: body.thresholdVersion)
        if let id = body.readingId, let reading = readings[id] {
            self.reading = reading
            if body.rule == .weightGain, let sample = try Self.weightBaseline(of: reading, in: events),
                let event = readings[sample.readingID]
            {
                baseline = (sample.kg, event)
            }
        }
        self.thresholds = thresholds[body.thresholdVersion]
    }

    /// The stored events are spliced in as stored (`AuditViews.json`).
    func json() throws -> String {
        var raw: [(String, String)] = [("raised", try AuditViews.json(raised))]
        if let reading { raw.append(("reading", try AuditViews.json(reading))) }
        if let baseline {
            raw.append(("baseline", try AuditViews.splice(["kg": baseline.kg], [("reading", try AuditViews.json(baseline.reading))])))
        }
        if let thresholds { raw.append(("thresholds", try AuditViews.json(thresholds))) }
        raw.append(("steps", "[" + (try steps.map(AuditViews.json).joined(separator: ",")) + "]"))
        return try AuditViews.splice(head, raw)
    }

    /// The baseline weight `reading` was judged against: the stream folded up
    /// to just before it, with the same rule code that decided.
    private static func weightBaseline(of reading: RecordedEvent, in events: [RecordedEvent]) throws -> WeightSample? {
        var state = PatientState.initial
        for e in events where e.version < reading.version {
            state.apply(try PatientEvent.decode(type: e.type, schemaVersion: e.schemaVersion, data: e.data))
        }
        guard
            case .readingRecorded(let r) = try PatientEvent.decode(
                type: reading.type, schemaVersion: reading.schemaVersion, data: reading.data),
            let rule = state.thresholds.weightGain
        else { return nil }
        return RuleEvaluator.weightBaseline(before: r.measuredAt, windowDays: rule.windowDays, history: state.weights)
    }
}
