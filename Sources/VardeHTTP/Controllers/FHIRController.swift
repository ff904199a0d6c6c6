import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// FHIR R4 for gateways that speak it: `POST /fhir/Observation`, `POST /fhir`
/// (batch or transaction Bundles, PHD gateways' included: `FHIRBundleUpload`),
/// a searchset of stored readings, the read of one (`GET /fhir/Observation/{id}`,
/// the `Location` of a post), and minimal Patient and Device reads for what a
/// Bundle response points at. Errors come back as OperationOutcome.
struct FHIRController {
    let services: AppServices
    let guardian: Guard
    static let mediaTypes = ["application/fhir+json", "application/json"]
    static let contentType = "application/fhir+json"

    func register(_ routes: RouteTable) {
        routes.on(.post, "/fhir/Observation", .postFHIRObservation) { r, c, who in
            try await Self.outcomeOnError { try await postObservation(r, c, who) }
        }
        routes.on(.post, "/fhir", .postFHIRBundle) { r, c, who in
            try await Self.outcomeOnError { try await FHIRBundleUpload(services: services, guardian: guardian).run(r, c, who) }
        }
        routes.on(.get, "/fhir/Observation", .searchFHIRObservations) { r, c, who in
            try await Self.outcomeOnError { try await FHIRSearch(services: services, guardian: guardian).run(r, c, who) }
        }
        routes.on(.get, "/fhir/Observation/{observationId}", .readFHIRObservation) { r, c, who in
            try await Self.outcomeOnError { try await readObservation(r, c, who) }
        }
        let reads = FHIRResourceReads(services: services, guardian: guardian)
        routes.on(.get, "/fhir/Patient/{patientId}", .readFHIRPatient) { r, c, who in
            try await Self.outcomeOnError { try await reads.patient(r, c, who) }
        }
        routes.on(.get, "/fhir/Device/{deviceId}", .readFHIRDevice) { r, c, who in
            try await Self.outcomeOnError { try await reads.device(r, c, who) }
        }
    }

    func postObservation(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let data = Data(buffer: try await RequestBody.collect(request, accepting: Self.mediaTypes))
        let observation = try FHIRJSON.decode(FHIRObservation.self, from: data, root: "Observation")
        let submission = Result { () throws(FHIRMappingError) in try FHIRObservationMapper.submission(from: observation) }
        let results = try await Ingest(services: services).run(
            [submission.mapError(Self.ingestError)], caller: caller, requestID: context.id, route: "POST /fhir/Observation")
        switch results[0] {
        case .created(let id), .duplicate(let id):
            let created = if case .created = results[0] { true } else { false }
            var response = try Self.observation(try await storedReading(id), status: created ? .created : .ok)
            response.headers[.location] = "/fhir/" + FHIRBundleBuilder.location(id)
            return response
        case .rejected(let error):
            if case .failure(let mapping) = submission { throw mapping }  // keeps its FHIRPath
            throw Self.mappingError(error, kind: submission.kind)
        }
    }

    func readObservation(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let notFound = FHIRMappingError(status: 404, issueCode: "not-found", message: "no such Observation", expression: "")
        guard let id = UUID(uuidString: context.parameters.get("observationId") ?? "") else { throw notFound }
        let (guardian, access) = (guardian, guardian.access(caller, .readFHIRObservation, request, context))
        let record = try await services.database.read { s -> FHIRReadingRecord? in
            // The same 404 for a reading of a patient outside the caller's teams as for none at all.
            guard let record = try s.reading(id), let scope = try s.patientScope(record.patientID) else { return nil }
            guard Guard.maySee(caller, scope.teams) else {
                try s.logAccess([access.entry(record.patientID, outcome: .denied)])
                return nil
            }
            try s.logAccess([access.entry(record.patientID)])
            return record
        }
        guard let record else { throw notFound }
        return try Self.observation(record)
    }

    /// A stored reading: from the read model, or — when the projector has not
    /// caught up yet — from the event itself, so a stored reading is never
    /// answered with 404.
    func storedReading(_ id: UUID) async throws -> FHIRReadingRecord {
        let record = try await services.database.read { s in try s.reading(id) ?? s.readingFromEvent(id) }
        guard let record else {
            throw FHIRMappingError(status: 404, issueCode: "not-found", message: "not found", expression: "Observation")
        }
        return record
    }

    static func observation(_ record: FHIRReadingRecord, status: HTTPResponse.Status = .ok) throws -> Response {
        try JSONResponse.make(FHIRObservationRenderer.observation(for: record), status: status, contentType: contentType)
    }

    static func ingestError(_ error: FHIRMappingError) -> IngestError {
        IngestError(status: error.status, title: error.issueCode, detail: error.message, pointer: nil, domain: nil)
    }

    /// Back from the pipeline's error to FHIR's: a FHIRPath for domain errors.
    static func mappingError(_ error: IngestError, kind: MeasurementKind?) -> FHIRMappingError {
        if let domain = error.domain, let kind, domain.field != nil { return FHIRMappingError(domain, kind: kind) }
        let code =
            switch error.status {
            case 404: "not-found"
            case 403: "forbidden"
            case 409: "conflict"
            default: "invalid"
            }
        return FHIRMappingError(
            status: error.status, issueCode: code, message: error.detail,
            expression: error.pointer == "/deviceSerial" ? "Observation.device" : "Observation.subject")
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
        let code =
            switch problem.status.code {
            case 401: "login"
            case 403: "forbidden"
            case 404: "not-found"
            case 413: "too-costly"
            case 415: "not-supported"
            case 429: "throttled"
            case 500...: problem.status.code == 503 ? "transient" : "exception"
            default: "invalid"
            }
        var response = try JSONResponse.make(
            FHIROperationOutcome.error(code: code, diagnostics: problem.detail ?? problem.title), status: problem.status,
            contentType: contentType)
        for field in problem.headers { response.headers.append(field) }
        return response
    }

    static func isFHIR(_ path: String) -> Bool { path == "/fhir" || path.hasPrefix("/fhir/") }
}

extension Result where Success == ReadingSubmission {
    var kind: MeasurementKind? { (try? get())?.kind }
}
