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
    struct Binding { var serial: String; var patient: UUID; var from: Date; var to: Date? }

    let bindings: [String: [Binding]]
    let patientBindings: [UUID: [Binding]]
    let patientsByNationalID: [String: UUID]
    let knownPatients: Set<UUID>

    /// The three queries that load what the submissions need (for one
    /// pipeline): patients by national identifier, the bindings of the devices
    /// and patients named (also those found by national identifier), and
    /// which of the patient ids named exist.
    static func statements(for submissions: [ReadingSubmission]) -> [PGConnection.Statement] {
        var serials = Set<String>(), patients = Set<UUID>(), nationalIDs = Set<String>()
        for s in submissions {
            if let serial = s.deviceSerial { serials.insert(serial) }
            switch s.subject {
            case .device(let serial): serials.insert(serial)
            case .patient(let id): patients.insert(id)
            case .nationalID(let value): nationalIDs.insert(value)
            }
        }
        let ids = "{" + patients.map { $0.lowercasedText }.joined(separator: ",") + "}"
        let national = PGArray.text(Array(nationalIDs))
        return [
            .init("SELECT national_id, id FROM patients WHERE national_id = ANY($1::text[]) AND discharged_at IS NULL", [national]),
            .init("""
                SELECT serial, patient_id, (extract(epoch FROM bound_at) * 1000000)::bigint,
                       (extract(epoch FROM unbound_at) * 1000000)::bigint
                FROM device_bindings
                WHERE serial = ANY($1::text[]) OR patient_id = ANY($2::uuid[])
                   OR patient_id IN (SELECT id FROM patients WHERE national_id = ANY($3::text[]) AND discharged_at IS NULL)
                """, [PGArray.text(Array(serials)), ids, national]),
            .init("SELECT id FROM patients WHERE id = ANY($1::uuid[])", [ids]),
        ]
    }

    /// Reads the results of `statements`, in order.
    init(_ results: ArraySlice<PGResult>) {
        let (national, bound, known) = (results[results.startIndex], results[results.startIndex + 1], results[results.startIndex + 2])
        var byNationalID: [String: UUID] = [:]
        for row in 0..<national.rowCount { byNationalID[national.string(row, 0)!] = UUID(uuidString: national.string(row, 1)!) }
        var bySerial: [String: [Binding]] = [:], byPatient: [UUID: [Binding]] = [:]
        for row in 0..<bound.rowCount {
            let b = Binding(serial: bound.string(row, 0)!, patient: UUID(uuidString: bound.string(row, 1)!)!,
                            from: Timestamp.fromMicros(bound.int(row, 2)!), to: bound.int(row, 3).map(Timestamp.fromMicros))
            bySerial[b.serial, default: []].append(b)
            byPatient[b.patient, default: []].append(b)
        }
        bindings = bySerial
        patientBindings = byPatient
        patientsByNationalID = byNationalID
        knownPatients = Set((0..<known.rowCount).compactMap { UUID(uuidString: known.string($0, 0)!) })
    }

    func resolve(_ s: ReadingSubmission) -> Result<(patient: UUID, device: String?), IngestError> {
        func active(_ list: [Binding]?) -> [Binding] {
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
            guard let binding = active(bindings[serial]).first else {
                return .failure(.notFound("device \(serial) was not bound to a patient at the measured time", pointer: "/deviceSerial"))
            }
            return .success((binding.patient, serial))
        case .patient(let id):
            guard knownPatients.contains(id) else { return .failure(.notFound("patient not found", pointer: "/patientId")) }
            patient = id
        case .nationalID(let value):
            guard let id = patientsByNationalID[value] else { return .failure(.notFound("patient not found", pointer: "/subject")) }
            patient = id
        }
        let bound = active(patientBindings[patient])
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
