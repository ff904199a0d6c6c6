import Foundation
import VardeCore
import VardeStore

/// Why an alert exists: the reading (or sweep) that raised it, the rule and
/// the threshold version that judged it with its values, and every later step,
/// each as the stored event with who did it and when.
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
        if let id = body.readingId, let reading = readings[id] { parts.append(#""reading":"# + (try AuditViews.json(reading))) }
        if let version = thresholds[body.thresholdVersion] { parts.append(#""thresholds":"# + (try AuditViews.json(version))) }
        parts.append(#""steps":["# + (try steps.map(AuditViews.json).joined(separator: ",")) + "]")
        return "{" + parts.joined(separator: ",") + "}"
    }
}
