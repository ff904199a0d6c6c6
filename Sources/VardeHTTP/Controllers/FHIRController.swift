import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// FHIR R4 for gateways that speak it: `POST /fhir/Observation`, `POST /fhir`
/// (batch or transaction Bundles of `POST Observation`), a searchset of
/// stored readings, and the read of one (`GET /fhir/Observation/{id}`, the
/// `Location` of a post). Errors come back as OperationOutcome.
struct FHIRController {
    let services: AppServices
    static let mediaTypes = ["application/fhir+json", "application/json"]
    static let contentType = "application/fhir+json"

    func register(_ routes: RouteTable) {
        routes.on(.post, "/fhir/Observation", .postFHIRObservation) { request, context, caller in
            try await Self.outcomeOnError {
                let data = Data(buffer: try await RequestBody.collect(request, accepting: Self.mediaTypes))
                let observation = try FHIRJSON.decode(FHIRObservation.self, from: data, root: "Observation")
                let submission = Result { () throws(FHIRMappingError) in try FHIRObservationMapper.submission(from: observation) }
                let results = try await Ingest(services: services).run(
                    [submission.mapError(Self.ingestError)], caller: caller, requestID: context.id, route: "POST /fhir/Observation")
                switch results[0] {
                case .created(let id), .duplicate(let id):
                    let created = if case .created = results[0] { true } else { false }
                    let json = try await Self.observationJSON(id, services: services)
                    var response = JSONResponse.raw(json, status: created ? .created : .ok, contentType: Self.contentType)
                    response.headers[.location] = "/fhir/" + FHIRBundleBuilder.location(id)
                    return response
                case .rejected(let error):
                    if case .failure(let mapping) = submission { throw mapping }  // keeps its FHIRPath
                    throw Self.mappingError(error, kind: submission.kind)
                }
            }
        }

        routes.on(.post, "/fhir", .postFHIRBundle) { request, context, caller in
            try await Self.outcomeOnError {
                let data = Data(buffer: try await RequestBody.collect(request, accepting: Self.mediaTypes))
                let bundle = try FHIRJSON.decode(FHIRBundle.self, from: data, root: "Bundle")
                let (mode, entries) = try FHIRBundleReader.read(bundle)
                guard entries.count <= ReadingController.maxBatch else {
                    throw FHIRMappingError.unprocessable("at most \(ReadingController.maxBatch) entries", at: "Bundle.entry", code: "too-costly")
                }
                if mode == .transaction, let failed = entries.first(where: { (try? $0.submission.get()) == nil }),
                   case .failure(let error) = failed.submission {
                    throw error
                }
                let items = entries.map { $0.submission.mapError(Self.ingestError) }
                let results: [IngestResult]
                if mode == .transaction {
                    // All or nothing: check every entry first, then store them together.
                    results = try await Ingest(services: services).run(
                        items, caller: caller, requestID: context.id, route: "POST /fhir", allOrNothing: true)
                    if let index = results.firstIndex(where: { if case .rejected(let e) = $0 { e != .notAttempted } else { false } }),
                       case .rejected(let error) = results[index] {
                        throw Self.mappingError(error, kind: entries[index].submission.kind).inBundleEntry(index)
                    }
                } else {
                    results = try await Ingest(services: services).run(items, caller: caller, requestID: context.id, route: "POST /fhir")
                }
                let outcomes = zip(entries, results).map { entry, result -> FHIREntryOutcome in
                    switch result {
                    case .created(let id): .created(eventID: id)
                    case .duplicate(let id): .duplicate(eventID: id)
                    case .rejected(let error):
                        if case .failure(let mapping) = entry.submission { .failed(mapping) }  // already located in the Bundle
                        else { .failed(Self.mappingError(error, kind: entry.submission.kind).inBundleEntry(entry.index)) }
                    }
                }
                let response = FHIRBundleBuilder.response(mode: mode, outcomes: outcomes, timestamp: services.now)
                return try JSONResponse.make(response, contentType: Self.contentType)
            }
        }

        routes.on(.get, "/fhir/Observation", .searchFHIRObservations) { request, context, caller in
            try await Self.outcomeOnError {
                try await FHIRSearch(services: services, guardian: routes.guardian).run(request, context, caller)
            }
        }

        routes.on(.get, "/fhir/Observation/{observationId}", .readFHIRObservation) { request, context, caller in
            try await Self.outcomeOnError {
                let notFound = FHIRMappingError(status: 404, issueCode: "not-found", message: "no such Observation", expression: "")
                guard let id = UUID(uuidString: context.parameters.get("observationId") ?? "") else { throw notFound }
                let record = try await services.database.withConnection { try FHIRSearch.records($0, where: "r.event_id = $1", [id]).first }
                // The same 404 for a reading of a patient outside the caller's teams as for none at all.
                guard let record else { throw notFound }
                do { _ = try await routes.guardian.patient(record.patientID, for: caller) } catch let problem as Problem where problem.status == .notFound {
                    throw notFound
                }
                try await routes.guardian.logReads([
                    routes.guardian.entry(caller, .readFHIRObservation, patient: record.patientID, request: request, context: context),
                ])
                return JSONResponse.raw(String(decoding: try FHIRJSON.encode(FHIRObservationRenderer.observation(for: record)), as: UTF8.self),
                                        contentType: Self.contentType)
            }
        }
    }

    static func ingestError(_ error: FHIRMappingError) -> IngestError {
        IngestError(status: error.status, title: error.issueCode, detail: error.message, pointer: nil, domain: nil)
    }

    /// Back from the pipeline's error to FHIR's: a FHIRPath for domain errors.
    static func mappingError(_ error: IngestError, kind: MeasurementKind?) -> FHIRMappingError {
        if let domain = error.domain, let kind, domain.field != nil { return FHIRMappingError(domain, kind: kind) }
        let code = switch error.status { case 404: "not-found"; case 403: "forbidden"; case 409: "conflict"; default: "invalid" }
        return FHIRMappingError(status: error.status, issueCode: code, message: error.detail,
                                expression: error.pointer == "/deviceSerial" ? "Observation.device" : "Observation.subject")
    }

    /// The stored Observation: from the read model, or — when the projector
    /// has not caught up yet — from the event itself, so a stored reading is
    /// never answered with 404.
    static func observationJSON(_ id: UUID, services: AppServices) async throws -> String {
        let record = try await services.database.withConnection { c in
            try FHIRSearch.records(c, where: "r.event_id = $1", [id]).first ?? recordFromEvent(id, c)
        }
        guard let record else { throw FHIRMappingError(status: 404, issueCode: "not-found", message: "not found", expression: "Observation") }
        return String(decoding: try FHIRJSON.encode(FHIRObservationRenderer.observation(for: record)), as: UTF8.self)
    }

    static func recordFromEvent(_ id: UUID, _ c: PGConnection) throws -> FHIRReadingRecord? {
        let r = try c.query("SELECT stream_id, type, schema_version, data::text FROM events WHERE event_id = $1", [id])
        guard r.rowCount == 1, let stream = r.string(0, 0), let type = r.string(0, 1), let data = r.string(0, 3),
              let patient = UUID(uuidString: String(stream.dropFirst("patient-".count))),
              case .readingRecorded(let e) = try PatientEvent.decode(type: type, schemaVersion: Int(r.int(0, 2) ?? 1), data: Data(data.utf8))
        else { return nil }
        return FHIRReadingRecord(eventID: e.readingId, patientID: patient, value: e.value, measuredAt: e.measuredAt, receivedAt: e.receivedAt,
                                 deviceSerial: e.deviceSerial, gatewayReadingID: e.gatewayReadingId)
    }

    /// Any failure as an OperationOutcome with the right status.
    static func outcomeOnError(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as FHIRMappingError {
            return try JSONResponse.make(FHIROperationOutcome(error), status: .init(code: error.status), contentType: contentType)
        } catch let problem as Problem {
            return try outcome(for: problem)
        }
    }

    /// A problem as an OperationOutcome, with the same status and headers
    /// (`WWW-Authenticate` on a 401). `ProblemMiddleware` uses it for every
    /// error under `/fhir`, including those raised before the controller runs.
    static func outcome(for problem: Problem) throws -> Response {
        let code = switch problem.status.code {
        case 401: "login"
        case 403: "forbidden"
        case 404: "not-found"
        case 413: "too-costly"
        case 415: "not-supported"
        case 500...: problem.status.code == 503 ? "transient" : "exception"
        default: "invalid"
        }
        var response = try JSONResponse.make(
            FHIROperationOutcome.error(code: code, diagnostics: problem.detail ?? problem.title), status: problem.status, contentType: contentType)
        for field in problem.headers { response.headers.append(field) }
        return response
    }

    static func isFHIR(_ path: String) -> Bool { path == "/fhir" || path.hasPrefix("/fhir/") }
}

extension Result where Success == ReadingSubmission {
    var kind: MeasurementKind? { (try? get())?.kind }
}
