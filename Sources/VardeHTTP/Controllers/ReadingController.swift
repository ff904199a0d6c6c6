import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// `POST /v1/readings` (gateways), a patient's readings, and voiding one.
struct ReadingController {
    let services: AppServices
    let guardian: Guard
    static let maxBatch = 1_000
    /// The most readings one list answers (the oldest first; narrow `from`/`to` for more).
    static let maxListed = 10_000

    /// One native reading; every field optional so that a bad item is
    /// rejected on its own instead of failing the whole batch.
    struct Item: Decodable {
        var id: String?
        var patientId: String?
        var deviceSerial: String?
        var measuredAt: String?
        var kind: String?
        var unit: String?
        var value: Double?
        var systolic: Double?
        var diastolic: Double?
        var pulse: Double?
    }

    struct Batch: Decodable { var readings: [Item] }

    struct ResultItem: Encodable {
        struct ItemError: Encodable {
            var status: Int
            var title: String
            var detail: String
            var pointer: String?
        }
        var id: String?
        var status: String
        var eventId: UUID?
        var error: ItemError?
    }

    struct Results: Encodable { var results: [ResultItem] }

    struct VoidReading: Decodable { var reason: String }

    func register(_ routes: RouteTable) {
        routes.on(.post, "/v1/readings", .postReadings, post)
        routes.on(.get, "/v1/patients/{patientId}/readings", .readReadings, list)
        routes.on(.post, "/v1/readings/{readingId}/void", .voidReading, void)
    }

    @Sendable func post(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let batch = try await RequestBody.decode(Batch.self, from: request)
        guard !batch.readings.isEmpty, batch.readings.count <= Self.maxBatch else {
            throw Problem.invalid("a batch holds 1 to \(Self.maxBatch) readings", pointer: "/readings")
        }
        let items = batch.readings.enumerated().map { index, item in
            Self.submission(item).mapError { error in
                var error = error
                error.pointer = "/readings/\(index)" + (error.pointer ?? "")
                return error
            }
        }
        let results = try await Ingest(services: services).run(items, caller: caller, requestID: context.id, route: "POST /v1/readings")
        let body = zip(batch.readings.indices, results).map { index, result -> ResultItem in
            let id = batch.readings[index].id
            switch result {
            case .created(let event): return ResultItem(id: id, status: "created", eventId: event)
            case .duplicate(let event): return ResultItem(id: id, status: "duplicate", eventId: event)
            case .rejected(let e):
                let pointer = e.pointer.map { $0.hasPrefix("/readings/") ? $0 : "/readings/\(index)\($0)" }
                return ResultItem(
                    id: id, status: e.status == 409 ? "conflict" : "rejected",
                    error: .init(status: e.status, title: e.title, detail: e.detail, pointer: pointer))
            }
        }
        return try JSONResponse.make(Results(results: body))
    }

    @Sendable func list(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let id = try context.parameters.uuid("patientId")
        let query = request.uri.queryParameters
        var filter = ReadingFilter(patient: id)
        if let k = query.get("kind") {
            guard let kind = MeasurementKind(rawValue: k) else { throw Problem.invalid("unknown kind", pointer: "/kind") }
            filter.kind = kind
        }
        let window = try TimeWindow(from: query.get("from"), to: query.get("to"))
        filter.from = window.from.map { [$0] } ?? []
        filter.before = window.before.map { [$0] } ?? []
        let limit = try query.integer("limit", in: 1...Self.maxListed, default: Self.maxListed)
        let (guardian, access, chosen) = (guardian, guardian.access(caller, .readReadings, request, context), filter)
        let records = try await services.database.read { s in
            _ = try guardian.patient(s.patientScope(id), for: caller, in: s, logging: access)
            try s.logAccess([access.entry(id)])
            return try s.readings(chosen, limit: limit + 1)
        }
        return try JSONResponse.make(
            ReadingListBody(readings: records.prefix(limit).map(ReadingListBody.Reading.init), truncated: records.count > limit))
    }

    @Sendable func void(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let readingID = try context.parameters.uuid("readingId")
        let body = try await RequestBody.decode(VoidReading.self, from: request)
        guard !body.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem.invalid("a reason is required", pointer: "/reason")
        }
        let (guardian, access) = (guardian, guardian.access(caller, .voidReading, request, context))
        let patient = try await services.database.read {
            try guardian.patient($0.readingScope(readingID), for: caller, asking: "reading", in: $0, logging: access)
        }
        let entry = access.entry(patient)
        let (_, _, position) = try await services.patients.execute(
            // Found in the read model, so recorded in this patient's stream.
            patient, .voidReading(readingID: readingID, reason: body.reason, recorded: true),
            context: guardian.decisionContext(caller), metadata: guardian.metadata(caller, context: context)
        ) { try $0.logAccess([entry]) }
        await services.awaitProjection(position)
        return try JSONResponse.make(VoidedBody(readingId: readingID))
    }

    /// An RFC 3339 time with offset (a date alone is not an instant).
    static func instant(_ text: String, _ name: String) throws -> Date {
        guard let range = try? FHIRDateRange(text), range.precision == .time else {
            throw Problem.invalid("\(name) must be an RFC 3339 time", pointer: "/\(name)")
        }
        return range.start
    }

    /// Turns one native item into a submission, or a 422 naming the field.
    static func submission(_ item: Item) -> Result<ReadingSubmission, IngestError> {
        func invalid(_ field: String, _ why: String) -> Result<ReadingSubmission, IngestError> {
            .failure(IngestError(status: 422, title: "Invalid values", detail: why, pointer: "/\(field)", domain: nil))
        }
        guard let id = item.id, !id.isEmpty, id.count <= 200, TextRules.isSingleLine(id) else {
            return invalid("id", "the gateway's reading id is required (1–200 characters, no control characters)")
        }
        if let serial = item.deviceSerial, serial.isEmpty || serial.count > 100 || !TextRules.isSingleLine(serial) {
            return invalid("deviceSerial", "deviceSerial must be 1–100 characters on one line")
        }
        guard let kindText = item.kind, let kind = MeasurementKind(rawValue: kindText) else {
            return invalid("kind", "kind must be one of \(MeasurementKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let unit = item.unit else { return invalid("unit", "unit is required (UCUM)") }
        guard let text = item.measuredAt, let measuredAt = EventDate.parse(text) else {
            return invalid("measuredAt", "measuredAt must be an RFC 3339 time with offset")
        }
        let subject: SubjectReference
        switch (item.patientId, item.deviceSerial) {
        case (let p?, _):
            guard let uuid = UUID(uuidString: p) else { return invalid("patientId", "patientId must be a UUID") }
            subject = .patient(uuid)
        case (nil, let serial?): subject = .device(serial: serial)
        case (nil, nil): return invalid("patientId", "name the patient by patientId or deviceSerial")
        }
        return .success(
            ReadingSubmission(
                gatewayReadingID: id, subject: subject, deviceSerial: item.deviceSerial, measuredAt: measuredAt, kind: kind,
                unit: unit, value: item.value, systolic: item.systolic, diastolic: item.diastolic, pulse: item.pulse))
    }
}
