import Foundation
import VardeCore
import VardeStore

/// Why an alert exists: the reading (or sweep) that raised it, the rule and
/// the threshold version that judged it with its values (for a weight gain
/// also the baseline: the lowest earlier weight in the window, as the stream
/// stood when the reading came), and every later step, each as the stored
/// event with who did it and when.
enum AlertExplanation {
    static func build(alertID: UUID, patientID: UUID, events: [RecordedEvent]) throws -> String {
        var raised: RecordedEvent?, raisedBody: AlertRaised?
        var steps: [RecordedEvent] = []
        var thresholds: [Int: RecordedEvent] = [:]
        var readings: [UUID: RecordedEvent] = [:]
        for e in events {
            switch try PatientEvent.decode(type: e.type, schemaVersion: e.schemaVersion, data: e.data) {
            case .alertRaised(let a) where a.alertId == alertID: (raised, raisedBody) = (e, a)
            case .alertUpdated(let a) where a.alertId == alertID: steps.append(e)
            case .alertAcknowledged(let a) where a.alertId == alertID: steps.append(e)
            case .alertEscalated(let a) where a.alertId == alertID: steps.append(e)
            case .alertResolved(let a) where a.alertId == alertID: steps.append(e)
            case .thresholdsChanged(let t): thresholds[t.version] = e
            case .readingRecorded(let r): readings[r.readingId] = e
            default: break
            }
        }
        guard let raised, let body = raisedBody else { throw Problem.notFound("alert") }
        var parts = [
            #""alertId":"\#(alertID.lowercasedText)""#,
            #""patientId":"\#(patientID.lowercasedText)""#,
            #""rule":"\#(body.rule)""#,
            #""measurement":"\#(body.measurement.rawValue)""#,
            #""severity":"\#(body.severity.rawValue)""#,
            #""value":\#(body.value)"#,
            #""limit":\#(body.limit)"#,
            #""thresholdVersion":\#(body.thresholdVersion)"#,
            #""raised":"# + (try AuditViews.json(raised)),
        ]
        if let id = body.readingId, let reading = readings[id] {
            parts.append(#""reading":"# + (try AuditViews.json(reading)))
            if body.rule == .weightGain, let baseline = try Self.weightBaseline(of: reading, in: events), let event = readings[baseline.readingID] {
                parts.append(#""baseline":{"kg":\#(baseline.kg),"reading":"# + (try AuditViews.json(event)) + "}")
            }
        }
        if let version = thresholds[body.thresholdVersion] { parts.append(#""thresholds":"# + (try AuditViews.json(version))) }
        parts.append(#""steps":["# + (try steps.map(AuditViews.json).joined(separator: ",")) + "]")
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// The baseline weight `reading` was judged against: the stream folded up
    /// to just before it, with the same rule code that decided.
    private static func weightBaseline(of reading: RecordedEvent, in events: [RecordedEvent]) throws -> WeightSample? {
        var state = PatientState.initial
        for e in events where e.version < reading.version {
            state.apply(try PatientEvent.decode(type: e.type, schemaVersion: e.schemaVersion, data: e.data))
        }
        guard case .readingRecorded(let r) = try PatientEvent.decode(type: reading.type, schemaVersion: reading.schemaVersion, data: reading.data),
              let rule = state.thresholds.weightGain else { return nil }
        return RuleEvaluator.weightBaseline(before: r.measuredAt, windowDays: rule.windowDays, history: state.weights)
    }
}
