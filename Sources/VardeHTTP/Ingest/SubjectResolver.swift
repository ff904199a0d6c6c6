import Foundation
import VardeCore
import VardeStore

/// Finds the patient a reading is about, and enforces the gateway rules:
///
/// - a gateway posts only for devices bound to patients, judged at the
///   reading's measured time (a device rebound later still files old readings
///   correctly). A reading known only by its date is judged by the binding in
///   force latest that day, as far as the bindings known now reach: on the day
///   a device is handed out, its date-only readings belong to the patient who
///   has it;
/// - a gateway reaches only the patients of the teams it serves (an admin
///   sets them). A patient or device outside its reach is refused exactly as
///   one that does not exist, so no answer tells an outsider whether a
///   fødselsnummer is enrolled or a device is in use.
struct SubjectResolver {
    let lookup: IngestLookup

    /// What became of one submission: its patient and device, or the refusal
    /// and the patient it named, when one was found (logged as an attempt).
    enum Resolution {
        case resolved(patient: UUID, device: String?)
        case refused(IngestError, patient: UUID?)
    }

    /// The devices, patients and national identifiers the submissions name
    /// (what `ReadSession.ingestLookup` loads).
    static func names(in submissions: [ReadingSubmission]) -> (serials: Set<String>, patients: Set<UUID>, nationalIDs: Set<String>) {
        var serials = Set<String>(), patients = Set<UUID>(), nationalIDs = Set<String>()
        for s in submissions {
            if let serial = s.deviceSerial { serials.insert(serial) }
            switch s.subject {
            case .device(let serial): serials.insert(serial)
            case .patient(let id): patients.insert(id)
            case .nationalID(let value): nationalIDs.insert(value)
            }
        }
        return (serials, patients, nationalIDs)
    }

    /// Whether a gateway serving `served` may post for `patient`.
    func reaches(_ patient: UUID, served: Set<UUID>) -> Bool {
        guard let teams = lookup.patientTeams[patient] else { return false }
        return [teams.kommune, teams.sykehus].contains { $0.map(served.contains) ?? false }
    }

    /// The patient the submission names (by id or national identifier), if
    /// one exists, whether or not the caller reaches them.
    func named(_ s: ReadingSubmission) -> UUID? {
        switch s.subject {
        case .patient(let id): lookup.patientTeams[id] != nil ? id : nil
        case .nationalID(let value): lookup.patientsByNationalID[value]
        case .device: nil
        }
    }

    func resolve(_ s: ReadingSubmission, served: Set<UUID>) -> Resolution {
        func active(_ list: [DeviceBindingRow]?) -> [DeviceBindingRow] {
            guard let dayEnd = s.measuredBefore else {
                return (list ?? []).filter { $0.from <= s.measuredAt && ($0.to.map { s.measuredAt < $0 } ?? true) }
            }
            // Bindings in force at some moment of [measuredAt, dayEnd); per serial, the latest.
            let during = (list ?? []).filter { $0.from < dayEnd && ($0.to.map { s.measuredAt < $0 } ?? true) }
            return Dictionary(grouping: during, by: \.serial).values.compactMap { $0.max { $0.from < $1.from } }
                .sorted { $0.from > $1.from }
        }
        let patient: UUID
        switch s.subject {
        case .device(let serial):
            let binding = active(lookup.bindingsBySerial[serial]).first
            guard let binding, reaches(binding.patient, served: served) else {
                return .refused(
                    .notFound("device \(serial) was not bound to a patient at the measured time", pointer: "/deviceSerial"),
                    patient: binding?.patient)
            }
            return .resolved(patient: binding.patient, device: serial)
        case .patient(let id):
            guard lookup.patientTeams[id] != nil, reaches(id, served: served) else {
                return .refused(.notFound("patient not found", pointer: "/patientId"), patient: named(s))
            }
            patient = id
        case .nationalID(let value):
            guard let id = lookup.patientsByNationalID[value], reaches(id, served: served) else {
                return .refused(.notFound("patient not found", pointer: "/subject"), patient: named(s))
            }
            patient = id
        }
        let bound = active(lookup.bindingsByPatient[patient])
        if let serial = s.deviceSerial {
            guard bound.contains(where: { $0.serial == serial }) else {
                return .refused(
                    .forbidden("device \(serial) was not bound to this patient at the measured time", pointer: "/deviceSerial"),
                    patient: patient)
            }
            return .resolved(patient: patient, device: serial)
        }
        guard !bound.isEmpty else {
            return .refused(.forbidden("the patient had no device bound at the measured time", pointer: "/patientId"), patient: patient)
        }
        return .resolved(patient: patient, device: bound.count == 1 ? bound[0].serial : nil)
    }
}
