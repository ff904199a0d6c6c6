import Foundation

/// Re-evaluates the alert rules while replaying a patient's stream and
/// compares what `decide` says now with what was recorded then.
///
/// Every reading is decided again on the state before it, at its own received
/// time, against the thresholds in force then; every overdue sweep likewise
/// at its own time. The events that decision produces must be exactly the
/// events recorded after the reading (or the sweep). An alert event that no
/// decision explains is reported too. Each difference is reported once, at
/// the first recorded event that differs; the replay then goes on from what
/// the rules decided (readings and people's steps stay as recorded), so one
/// forged or missing alert event does not make every later decision differ.
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
                let command = PatientCommand.recordReading(
                    ReadingToRecord(
                        readingEventID: r.readingId, gatewayReadingID: r.gatewayReadingId, gateway: r.gateway,
                        deviceSerial: r.deviceSerial, measuredAt: r.measuredAt, value: r.value, asSent: r.asSent,
                        clockOffset: r.clockOffset))
                expected = try? Patient.decide(state: state, command: command, context: DecisionContext(now: r.receivedAt, actor: .system))
            case .alertRaised(let a) where a.readingId == nil && a.overdueSince != nil:
                expected = try? Patient.decide(state: state, command: .checkOverdue, context: DecisionContext(now: a.at, actor: .system))
            case .alertRaised, .alertUpdated:
                expected = nil
            default:
                break
            }
            guard let expected, !expected.isEmpty else {
                switch event {
                case .readingRecorded:
                    differences.append(Difference(version: version, detail: "the reading would not be recorded by the rules"))
                    state.apply(event)
                case .alertRaised, .alertUpdated:
                    // Not applied: the rules would not have produced it.
                    differences.append(Difference(version: version, detail: "\(event.type) is not explained by any reading or sweep"))
                default:
                    state.apply(event)
                }
                i += 1
                continue
            }
            let recorded = stream[i..<min(i + expected.count, stream.count)].map(\.event)
            let n = zip(recorded, expected).prefix { $0.0 == $0.1 }.count
            if n < expected.count {
                let what = n < recorded.count ? recorded[n].type : "nothing"
                let wanted = expected[n].type
                let detail =
                    what == wanted ? "recorded \(what) differs from what the rules give" : "recorded \(what), the rules give \(wanted)"
                differences.append(Difference(version: version + Int64(n), detail: detail))
            }
            // Go on from what the rules decided, past the recorded events that
            // matched and the recorded alert events that stood in for the rest.
            for e in expected { state.apply(e) }
            var next = i + max(n, 1)
            while next < i + recorded.count, stream[next].event.isDerivedAlert { next += 1 }
            i = next
        }
        return differences
    }
}

extension PatientEvent {
    /// An alert raise or update: decided by the rules, never by a person.
    fileprivate var isDerivedAlert: Bool {
        switch self {
        case .alertRaised, .alertUpdated: true
        default: false
        }
    }
}
