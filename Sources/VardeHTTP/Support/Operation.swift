/// Every route's operation, and the one table of which roles may use it.
/// Patient-scoped operations additionally require the patient to belong to one
/// of the caller's teams (auditors: any patient, reading only); a caller
/// outside the patient's teams gets 404, a role not in the table 403.
public enum Operation: String, CaseIterable, Sendable {
    case createTeam, readTeam, createGateway, assignGatewayTeams, issueGatewayKey, revokeGatewayKey
    case enrollPatient, readPatient, searchPatients, dischargePatient, assignTeams, setPatientIdentifiers
    case bindDevice, unbindDevice
    case postReadings, postFHIRObservation, postFHIRBundle, searchFHIRObservations, readFHIRObservation
    case readFHIRPatient, readFHIRDevice
    case readReadings, voidReading
    case readPatientAlerts, readThresholdHistory
    case setThresholds, previewThresholds, setRouting
    case readTeamAlerts, readWorklist
    case acknowledgeAlert, escalateAlert, resolveAlert
    case auditEvents, auditView, auditAlertExplanation, auditVerify, auditAccessLog

    public var roles: Set<Caller.Role> {
        switch self {
        case .createTeam, .createGateway, .assignGatewayTeams, .issueGatewayKey, .revokeGatewayKey:
            [.admin]
        case .readTeam:
            [.admin, .nurse, .clinician]
        case .enrollPatient, .dischargePatient, .assignTeams, .bindDevice, .unbindDevice, .setThresholds, .previewThresholds,
            .setRouting, .setPatientIdentifiers:
            [.clinician]
        case .readPatient, .searchPatients, .readReadings, .voidReading, .readTeamAlerts, .readWorklist,
            .readPatientAlerts, .readThresholdHistory, .acknowledgeAlert, .escalateAlert, .resolveAlert, .searchFHIRObservations,
            .readFHIRObservation:
            [.nurse, .clinician]
        case .postReadings, .postFHIRObservation, .postFHIRBundle:
            [.gateway]
        case .readFHIRPatient, .readFHIRDevice:
            // A gateway reads what its Bundle response pointed at, for patients it serves.
            [.nurse, .clinician, .gateway]
        case .auditEvents, .auditView, .auditAlertExplanation, .auditVerify, .auditAccessLog:
            [.auditor]
        }
    }

    /// The access-log action name; nil for operations that touch no patient data.
    public var auditAction: String? {
        switch self {
        case .createTeam, .readTeam, .createGateway, .assignGatewayTeams, .issueGatewayKey, .revokeGatewayKey: nil
        default: rawValue
        }
    }
}
