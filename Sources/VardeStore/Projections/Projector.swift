import Foundation
import NIOConcurrencyHelpers
import VardeCore

/// The one code path that turns the log into read models (sql/005): live,
/// on rebuild, and into a scratch schema for `varde verify`. Deterministic:
/// what it writes depends only on the events, never on the clock.
public final class Projector: EventHandler {
    public static let subscriptionName = "projector"

    /// Patient states at the version the projector last applied. An entry whose
    /// version does not fit the next event (another instance projected, or a
    /// page rolled back) is reloaded from the stream.
    private let patients = NIOLockedValueBox<[UUID: ProjectedPatient]>([:])

    public init() {}

    public func handle(_ events: [RecordedEvent], connection: PGConnection) throws {
        try prepare(events.map(ProjectionEvent.init), connection: connection).write(connection)
    }

    /// COPYs readings and feed entries, and leaves the upserts to go with the checkpoint.
    public func handlePage(_ events: [RecordedEvent], connection: PGConnection) throws -> [PGConnection.Statement] {
        let page = try prepare(events.map(ProjectionEvent.init), connection: connection)
        try page.copy(connection)
        return page.statements
    }

    /// An event decoded for folding; events of other categories are left out.
    enum Decoded: Sendable {
        case patient(id: UUID, version: Int64, position: Int64, PatientEvent)
        case admin(position: Int64, AdminEvent)
    }

    /// Decodes a page (pure; the pipeline does it while the previous page
    /// folds). An event that does not decode is `UndecodableEvent`, unless its
    /// position is among `skipping` (an operator's decision).
    static func decode(_ events: [ProjectionEvent], skipping: Set<Int64> = []) throws -> [Decoded] {
        var out: [Decoded] = []
        out.reserveCapacity(events.count)
        for event in events {
            do {
                switch StreamName.category(of: event.stream) {
                case "patient":
                    guard let id = StreamName.id(of: event.stream) else { continue }
                    out.append(
                        .patient(
                            id: id, version: event.version, position: event.position,
                            try PatientEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data)))
                case "team", "gateway":
                    out.append(
                        .admin(
                            position: event.position,
                            try AdminEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data)))
                default:
                    continue
                }
            } catch {
                if skipping.contains(event.position) { continue }
                throw UndecodableEvent(position: event.position, stream: event.stream, type: event.type, schemaVersion: event.schemaVersion)
            }
        }
        return out
    }

    /// Decodes and folds a page. The skip list is read only when an event
    /// does not decode, so a healthy log costs no extra query.
    func prepare(_ events: [ProjectionEvent], connection: PGConnection) throws -> ProjectionPage {
        let decoded: [Decoded]
        do {
            decoded = try Self.decode(events)
        } catch is UndecodableEvent {
            decoded = try Self.decode(events, skipping: try connection.projectionSkips(events.map(\.position)))
        }
        return try prepare(decoded: decoded, connection: connection)
    }

    /// Folds a page of events into the rows it changes. Patient states come
    /// from the cache or, on a miss, from their streams (`connection` only
    /// reads events). The folded states go back into the cache at once, so the
    /// next page can be prepared while this one is written; if the write is
    /// rolled back, their versions no longer fit and they are reloaded.
    func prepare(decoded events: [Decoded], connection: PGConnection) throws -> ProjectionPage {
        var page = ProjectionPage()
        var touched: [UUID: ProjectedPatient] = [:]
        for event in events {
            switch event {
            case .patient(let id, let version, let position, let decoded):
                var patient = try touched.removeValue(forKey: id) ?? cached(id, before: version, connection: connection)
                page.record(decoded, patient: &patient, id: id, position: position)
                touched[id] = patient
            case .admin(let position, let decoded):
                page.record(decoded, position: position)
            }
        }
        for (id, patient) in touched { page.finish(patient, id: id) }
        patients.withLockedValue { cache in
            // Bounded by patients and by the readings their states hold, as PatientStateCache.
            if cache.count > 50_000 || cache.values.reduce(0, { $0 + $1.state.readings.count }) > 1_000_000 {
                cache.removeAll(keepingCapacity: true)
            }
            cache.merge(touched) { $1 }
        }
        return page
    }

    /// Forgets cached states (after a rebuild reset).
    public func reset() {
        patients.withLockedValue { $0.removeAll() }
    }

    private func cached(_ id: UUID, before version: Int64, connection: PGConnection) throws -> ProjectedPatient {
        // Taken out, not copied: the page then owns the state's storage and
        // folding into it does not copy a long history (copy-on-write).
        if let hit = patients.withLockedValue({ $0.removeValue(forKey: id) }), hit.state.version == version - 1 { return hit }
        var patient = ProjectedPatient(state: .initial)
        for event in try connection.readStream(StreamName.patient(id), from: 1, through: version - 1) {
            patient.apply(try PatientEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data))
        }
        return patient
    }
}
