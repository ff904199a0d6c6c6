import Foundation

/// Requests repeated with the same `Idempotency-Key`: the same request is
/// answered as the first was; another request under the same key is refused
/// (answering it with the old result, or with the new, would both be wrong).
extension Patient {
    /// The first field in which an enrolment differs from the one the
    /// patient's stream began with (`history`: its first events), or nil
    /// when it asks for the same.
    public static func enrolmentDifference(_ command: PatientCommand, history: [PatientEvent]) -> String? {
        guard case .enroll(_, let nationalID, let kommunenummer, let program, let teams) = command else { return "/" }
        guard case .patientEnrolled(let first)? = history.first else { return "/" }
        if first.nationalId != nationalID.value { return "/nationalId" }
        if first.kommunenummer != kommunenummer { return "/kommunenummer" }
        if first.program != program { return "/program" }
        let assigned = history.lazy.compactMap { if case .teamsAssigned(let t) = $0 { t } else { nil } }.first
        if assigned?.kommuneTeam != teams?.kommune { return "/teams/kommune" }
        if assigned?.sykehusTeam != teams?.sykehus { return "/teams/sykehus" }
        return nil
    }
}

extension TeamCreated {
    /// The first field in which `other` (a repeated create) differs, or nil.
    public func difference(from other: TeamCreated) -> String? {
        if name != other.name { return "/name" }
        if kind != other.kind { return "/kind" }
        if kommunenummer != other.kommunenummer { return "/kommunenummer" }
        if healthTrust != other.healthTrust { return "/healthTrust" }
        return nil
    }
}
