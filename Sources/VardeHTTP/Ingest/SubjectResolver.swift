import Foundation
import VardeCore
import VardeStore

/// Finds the patient a reading is about, and enforces the gateway rule: a
/// gateway posts only for devices bound to patients, judged at the reading's
/// measured time (a device rebound later still files old readings correctly).
/// A reading known only by its date is judged by the binding in force latest
/// that day, as far as the bindings known now reach: on the day a device is
/// handed out, its date-only readings belong to the patient who has it.
struct SubjectResolver {
    let lookup: IngestLookup

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

    func resolve(_ s: ReadingSubmission) -> Result<(patient: UUID, device: String?), IngestError> {
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
            guard let binding = active(lookup.bindingsBySerial[serial]).first else {
                return .failure(.notFound("device \(serial) was not bound to a patient at the measured time", pointer: "/deviceSerial"))
            }
            return .success((binding.patient, serial))
        case .patient(let id):
            guard lookup.knownPatients.contains(id) else { return .failure(.notFound("patient not found", pointer: "/patientId")) }
            patient = id
        case .nationalID(let value):
            guard let id = lookup.patientsByNationalID[value] else { return .failure(.notFound("patient not found", pointer: "/subject")) }
            patient = id
        }
        let bound = active(lookup.bindingsByPatient[patient])
        if let serial = s.deviceSerial {
            guard bound.contains(where: { $0.serial == serial }) else {
                return .failure(.forbidden("device \(serial) was not bound to this patient at the measured time", pointer: "/deviceSerial"))
            }
            return .success((patient, serial))
        }
        guard !bound.isEmpty else {
            return .failure(.forbidden("the patient had no device bound at the measured time", pointer: "/patientId"))
        }
        return .success((patient, bound.count == 1 ? bound[0].serial : nil))
    }
}
