import Foundation
import VardeCore

/// The projector's working copy of one patient: the folded state plus the
/// latest value per kind, kept incrementally so a page never rescans history.
struct ProjectedPatient {
    var state: PatientState
    var latest: [MeasurementKind: ProjectionRows.Latest] = [:]
    var nationalID: String? { state.nationalID }
    private(set) var thresholds: ProjectionRows.Thresholds

    init(state: PatientState) {
        self.state = state
        thresholds = .init(state.thresholds)
        for kind in MeasurementKind.allCases { recomputeLatest(kind) }
    }

    mutating func apply(_ event: PatientEvent) {
        state.apply(event)
        switch event {
        case .thresholdsChanged:
            thresholds = .init(state.thresholds)
        case .readingRecorded(let r):
            let stamp = EventDate.format(r.measuredAt)
            if let current = latest[r.value.kind],
                current.measuredAt > stamp
                    || (current.measuredAt == stamp && current.readingId.uuidString > r.readingId.uuidString)
            {
                break
            }
            latest[r.value.kind] = .init(readingId: r.readingId, value: r.value, measuredAt: stamp)
        case .readingVoided(let v):
            if let kind = state.readings[v.readingId]?.kind, latest[kind]?.readingId == v.readingId {
                recomputeLatest(kind)
            }
        default:
            break
        }
    }

    private mutating func recomputeLatest(_ kind: MeasurementKind) {
        let best = state.readings
            .filter { $0.value.kind == kind && !$0.value.isVoid }
            .max { ($0.value.measuredAt, $0.key.uuidString) < ($1.value.measuredAt, $1.key.uuidString) }
        latest[kind] = best.map { .init(readingId: $0.key, value: $0.value.value, measuredAt: EventDate.format($0.value.measuredAt)) }
    }

    var status: String { state.status.rawValue }
}
