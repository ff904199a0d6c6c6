import Foundation

/// Re-evaluates the alert rules while replaying a patient's stream and
/// compares what `decide` says now with what was recorded then.
///
/// Every reading is decided again on the state before it, at its own received
/// time, against the thresholds in force then; every overdue sweep likewise
/// at its own time. The events that decision produces must be exactly the
/// events recorded after the reading (or the sweep). An alert event that no
/// decision explains is reported too. After a difference the replay goes on
/// from what was recorded.
public enum AlertReplay {
    public struct Difference: Equatable, Sendable, CustomStringConvertible {
        /// Stream version of the recorded event where the difference starts.
        public var version: Int64
        public var detail: String
        public var description: String { "version \(version): \(detail)" }
    }

    public static func check(_ stream: [(version: Int64, event: PatientEvent)]) -> [Difference] {
        var state = PatientState.initial
        var differences: [Difference] = []
        var i = 0
        while i < stream.count {
            let (version, event) = stream[i]
            var expected: [PatientEvent]?
            switch event {
            case .readingRecorded(let r):
                let command = PatientCommand.recordReading(ReadingToRecord(
                    readingEventID: r.readingId, gatewayReadingID: r.gatewayReadingId, gateway: r.gateway,
                    deviceSerial: r.deviceSerial, measuredAt: r.measuredAt, value: r.value, asSent: r.asSent))
                expected = try? Patient.decide(state: state, command: command, context: DecisionContext(now: r.receivedAt, actor: .system))
            case .alertRaised(let a) where a.readingId == nil && a.overdueSince != nil:
                expected = try? Patient.decide(state: state, command: .checkOverdue, context: DecisionContext(now: a.at, actor: .system))
            case .alertRaised, .alertUpdated:
                differences.append(Difference(version: version, detail: "\(event.type) is not explained by any reading or sweep"))
            default:
                break
            }
            guard let expected, !expected.isEmpty else {
                if case .readingRecorded = event {
                    differences.append(Difference(version: version, detail: "the reading would not be recorded by the rules"))
                }
                state.apply(event)
                i += 1
                continue
            }
            let recorded = stream[i..<min(i + expected.count, stream.count)].map(\.event)
            if recorded != expected {
                let n = zip(recorded, expected).prefix { $0.0 == $0.1 }.count
                let what = n < recorded.count ? recorded[n].type : "nothing"
                let wanted = n < expected.count ? expected[n].type : "nothing"
                differences.append(Difference(version: version + Int64(n), detail: "recorded \(what), the rules give \(wanted)"))
            }
            // Continue from what was recorded, past this decision's events.
            let consumed = max(1, zip(recorded, expected).prefix { $0.0 == $0.1 }.count)
            for j in i..<(i + consumed) { state.apply(stream[j].event) }
            i += consumed
        }
        return differences
    }
}
