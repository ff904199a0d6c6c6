import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// `GET /fhir/Observation?patient=&code=&date=`: a searchset of one patient's
/// stored readings. `date` takes FHIR prefixes (`ge`, `le`, `gt`, `lt`, `eq`)
/// and may repeat; `code` is a LOINC code, with or without `http://loinc.org|`.
struct FHIRSearch {
    let services: AppServices
    let guardian: Guard

    func run(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let query = request.uri.queryParameters
        guard let reference = query.get("patient") ?? query.get("subject") else {
            throw FHIRMappingError.badRequest("the patient parameter is required", at: "Observation.subject", code: "required")
        }
        guard let patient = UUID(uuidString: reference.replacingOccurrences(of: "Patient/", with: "")) else {
            throw FHIRMappingError.badRequest("patient must be Patient/<id>", at: "Observation.subject", code: "value")
        }
        _ = try await guardian.patient(patient, for: caller)
        var conditions = ["r.patient_id = $1"]
        var parameters: [(any PGParameter)?] = [patient]
        if let code = query.get("code") {
            guard let kind = FHIRCodes.kind(forLOINC: String(code.split(separator: "|").last ?? "")) else {
                throw FHIRMappingError.badRequest("unknown LOINC code", at: "Observation.code", code: "value")
            }
            parameters.append(kind.rawValue)
            conditions.append("r.kind = $\(parameters.count)")
        }
        for value in query.getAll("date") {
            let (op, rest) = Self.prefix(value)
            guard let instant = try? FHIRDateTime.parse(rest) else {
                throw FHIRMappingError.badRequest("date must be a FHIR dateTime with an optional prefix", at: "Observation.effective", code: "value")
            }
            parameters.append(instant)
            conditions.append("r.measured_at \(op) $\(parameters.count)")
        }
        let where_ = conditions.joined(separator: " AND ")
        let bound = parameters
        try await guardian.logReads([guardian.entry(caller, .searchFHIRObservations, patient: patient, request: request, context: context)])
        let records = try await services.database.withConnection { try Self.records($0, where: where_, bound) }
        let bundle = FHIRBundleBuilder.searchset(records, baseURL: "/fhir", selfURL: "/fhir/Observation?" + (request.uri.query ?? ""),
                                                 timestamp: services.now)
        return try JSONResponse.make(bundle, contentType: FHIRController.contentType)
    }

    static func prefix(_ value: String) -> (String, String) {
        let ops = ["ge": ">=", "le": "<=", "gt": ">", "lt": "<", "eq": "="]
        if let op = ops[String(value.prefix(2))] { return (op, String(value.dropFirst(2))) }
        return ("=", value)
    }

    /// Readings as FHIR records. `condition` is built only from fixed fragments
    /// with `$n` placeholders; values always travel as parameters.
    static func records(_ c: PGConnection, where condition: String, _ parameters: [(any PGParameter)?]) throws -> [FHIRReadingRecord] {
        let r = try c.query("""
            SELECT r.event_id, r.patient_id, r.value::text, (extract(epoch FROM r.measured_at) * 1000000)::bigint,
                   (extract(epoch FROM r.received_at) * 1000000)::bigint, r.device_serial, r.gateway_reading_id, r.voided
            FROM readings r WHERE \(condition) ORDER BY r.measured_at, r.event_id LIMIT 1000
            """, parameters)
        return try (0..<r.rowCount).map { row in
            FHIRReadingRecord(
                eventID: UUID(uuidString: r.string(row, 0)!)!, patientID: UUID(uuidString: r.string(row, 1)!)!,
                value: try JSONDecoder().decode(MeasurementValue.self, from: Data(r.string(row, 2)!.utf8)),
                measuredAt: Timestamp.fromMicros(r.int(row, 3)!), receivedAt: Timestamp.fromMicros(r.int(row, 4)!),
                deviceSerial: r.string(row, 5), gatewayReadingID: r.string(row, 6)!, voided: r.bool(row, 7) ?? false)
        }
    }
}
