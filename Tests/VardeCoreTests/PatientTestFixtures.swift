import Foundation
import Testing

@testable import VardeCore

/// Shared givens for the patient aggregate tests.
enum Fx {
    static let t0 = Date(timeIntervalSince1970: 1_740_000_000)  // 2025-02-19T21:20:00Z
    static let patient = UUID(uuidString: "0b3c1d9e-6f0a-4a8e-9d55-1c2b3a4d5e6f")!
    static let kommune = UUID(uuidString: "11111111-1111-4111-8111-111111111111")!
    static let sykehus = UUID(uuidString: "22222222-2222-4222-8222-222222222222")!
    static let otherKommune = UUID(uuidString: "33333333-3333-4333-8333-333333333333")!
    static let gateway = UUID(uuidString: "44444444-4444-4444-8444-444444444444")!
    static let nurse = ActorRef(subject: "nurse-1", role: "nurse")
    static let clinician = ActorRef(subject: "clin-1", role: "clinician")
    static let teams = PatientTeams(kommune: kommune, sykehus: sykehus)

    static func at(_ hours: Double) -> Date { t0.addingTimeInterval(hours * 3600) }
    static func ctx(_ hours: Double = 0, _ actor: ActorRef = nurse) -> DecisionContext { DecisionContext(now: at(hours), actor: actor) }

    static func nationalID(_ s: String = "31129956715") -> NationalIdentifier { try! NationalIdentifier(s) }

    static func enroll(_ program: Program, teams: PatientTeams? = Fx.teams) -> PatientCommand {
        .enroll(patientID: patient, nationalID: nationalID(), kommunenummer: "0301", program: program, teams: teams)
    }

    static func reading(_ id: String, _ value: MeasurementValue, measuredHours: Double, gateway: UUID? = Fx.gateway) -> PatientCommand {
        .recordReading(
            ReadingToRecord(
                gatewayReadingID: id, gateway: gateway, deviceSerial: "dev-1", measuredAt: at(measuredHours), value: value,
                asSent: ReadingAsSent(unit: "x", value: 1)))
    }

    static func readingID(_ id: String, gateway: UUID? = Fx.gateway) -> UUID {
        DeterministicID.readingEventID(gateway: gateway, gatewayReadingID: id)
    }
}

/// A patient under test: decides commands at a given hour and folds what they produce,
/// keeping every event so the test can replay them.
struct Given {
    var state = PatientState.initial
    var events: [PatientEvent] = []

    init(_ program: Program? = nil, teams: PatientTeams? = Fx.teams) {
        if let program { try! when(Fx.enroll(program, teams: teams)) }
    }

    @discardableResult
    mutating func when(_ command: PatientCommand, at hours: Double = 0, by actor: ActorRef = Fx.nurse) throws(DomainError) -> [PatientEvent]
    {
        let out = try Patient.decide(state: state, command: command, context: Fx.ctx(hours, actor))
        for e in out { state.apply(e) }
        events += out
        return out
    }

    /// Decides without folding.
    func decide(_ command: PatientCommand, at hours: Double = 0, by actor: ActorRef = Fx.nurse) throws(DomainError) -> [PatientEvent] {
        try Patient.decide(state: state, command: command, context: Fx.ctx(hours, actor))
    }
}

extension Array where Element == PatientEvent {
    var raised: [AlertRaised] { compactMap { if case .alertRaised(let e) = $0 { e } else { nil } } }
    var updated: [AlertUpdated] { compactMap { if case .alertUpdated(let e) = $0 { e } else { nil } } }
    var resolved: [AlertResolved] { compactMap { if case .alertResolved(let e) = $0 { e } else { nil } } }
    var types: [String] { map(\.type) }
}

/// Catches a typed DomainError.
func domainError(_ body: () throws(DomainError) -> Void) -> DomainError? {
    do {
        try body()
        return nil
    } catch { return error }
}
