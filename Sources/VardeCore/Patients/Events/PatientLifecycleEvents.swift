import Foundation

/// A patient was enrolled in a follow-up program. Schema v2 added `nationalIdKind` (v1 is upcast).
public struct PatientEnrolled: PatientEventBody {
    public static let type = "PatientEnrolled"
    public static let schemaVersion = 2
    public var patientId: UUID
    /// The 11 digits. Stored, never logged.
    public var nationalId: String
    public var nationalIdKind: NationalIdentifier.Kind
    /// Four digits with leading zero, e.g. "0301".
    public var kommunenummer: String
    public var program: Program
    public var enrolledAt: Date

    public init(
        patientId: UUID, nationalId: String, nationalIdKind: NationalIdentifier.Kind, kommunenummer: String, program: Program,
        enrolledAt: Date
    ) {
        self.patientId = patientId
        self.nationalId = nationalId
        self.nationalIdKind = nationalIdKind
        self.kommunenummer = kommunenummer
        self.program = program
        self.enrolledAt = enrolledAt
    }
}

/// The patient's kommune team and optional sykehus team were set; open alerts move with them.
public struct TeamsAssigned: PatientEventBody {
    public static let type = "TeamsAssigned"
    public var kommuneTeam: UUID
    public var sykehusTeam: UUID?
    public var at: Date

    public init(kommuneTeam: UUID, sykehusTeam: UUID?, at: Date) {
        self.kommuneTeam = kommuneTeam
        self.sykehusTeam = sykehusTeam
        self.at = at
    }
}

/// The patient's routing option changed.
public struct RoutingChanged: PatientEventBody {
    public static let type = "RoutingChanged"
    public var option: RoutingOption
    public var by: ActorRef
    public var at: Date

    public init(option: RoutingOption, by: ActorRef, at: Date) {
        self.option = option
        self.by = by
        self.at = at
    }
}

/// A new threshold version is in force from now on (version 1 = program defaults, written at enrolment).
public struct ThresholdsChanged: PatientEventBody {
    public static let type = "ThresholdsChanged"
    public var version: Int
    public var thresholds: ThresholdSet
    public var reason: String
    public var by: ActorRef
    public var at: Date

    public init(version: Int, thresholds: ThresholdSet, reason: String, by: ActorRef, at: Date) {
        self.version = version
        self.thresholds = thresholds
        self.reason = reason
        self.by = by
        self.at = at
    }
}

/// The patient left follow-up.
public struct PatientDischarged: PatientEventBody {
    public static let type = "PatientDischarged"
    public var at: Date
    public var reason: String
    public var by: ActorRef

    public init(at: Date, reason: String, by: ActorRef) {
        self.at = at
        self.reason = reason
        self.by = by
    }
}

/// The identifiers an outside system knows the patient by (e.g. a PHD gateway's
/// own patient id) were set; they replace the earlier ones.
public struct PatientIdentifiersChanged: PatientEventBody {
    public static let type = "PatientIdentifiersChanged"
    public var identifiers: [RegisteredIdentifier]
    public var by: ActorRef
    public var at: Date

    public init(identifiers: [RegisteredIdentifier], by: ActorRef, at: Date) {
        self.identifiers = identifiers
        self.by = by
        self.at = at
    }
}
