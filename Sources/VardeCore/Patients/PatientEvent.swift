import Foundation

/// Every fact in a `patient-<uuid>` stream.
public enum PatientEvent: Equatable, Sendable {
    case patientEnrolled(PatientEnrolled)
    case teamsAssigned(TeamsAssigned)
    case routingChanged(RoutingChanged)
    case thresholdsChanged(ThresholdsChanged)
    case patientDischarged(PatientDischarged)
    case deviceBound(DeviceBound)
    case deviceUnbound(DeviceUnbound)
    case deviceDescribed(DeviceDescribed)
    case patientIdentifiersChanged(PatientIdentifiersChanged)
    case readingRecorded(ReadingRecorded)
    case readingVoided(ReadingVoided)
    case alertRaised(AlertRaised)
    case alertUpdated(AlertUpdated)
    case alertAcknowledged(AlertAcknowledged)
    case alertEscalated(AlertEscalated)
    case alertResolved(AlertResolved)

    /// The body as its concrete type.
    public var body: any PatientEventBody {
        switch self {
        case .patientEnrolled(let e): e
        case .teamsAssigned(let e): e
        case .routingChanged(let e): e
        case .thresholdsChanged(let e): e
        case .patientDischarged(let e): e
        case .deviceBound(let e): e
        case .deviceUnbound(let e): e
        case .deviceDescribed(let e): e
        case .patientIdentifiersChanged(let e): e
        case .readingRecorded(let e): e
        case .readingVoided(let e): e
        case .alertRaised(let e): e
        case .alertUpdated(let e): e
        case .alertAcknowledged(let e): e
        case .alertEscalated(let e): e
        case .alertResolved(let e): e
        }
    }

    /// The stable type name stored in the `type` column.
    public var type: String { Swift.type(of: body).type }

    /// The schema version `encode()` writes.
    public var schemaVersion: Int { Swift.type(of: body).schemaVersion }

    /// The envelope id this event must be stored under, when it has one: a `ReadingRecorded`
    /// is stored under its reading id (derived with `DeterministicID.readingEventID`).
    public var requiredEventID: UUID? {
        if case .readingRecorded(let r) = self { return r.readingId }
        return nil
    }

    /// All type names, for a store that wants to check them.
    public static let allTypes: [String] = [
        PatientEnrolled.type, TeamsAssigned.type, RoutingChanged.type, ThresholdsChanged.type, PatientDischarged.type,
        DeviceBound.type, DeviceUnbound.type, ReadingRecorded.type, ReadingVoided.type, AlertRaised.type,
        AlertUpdated.type, AlertAcknowledged.type, AlertEscalated.type, AlertResolved.type, DeviceDescribed.type,
        PatientIdentifiersChanged.type,
    ]
}
