import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// `POST /fhir`: a `batch` or `transaction` Bundle, plain Observations or
/// what a PHD gateway sends (Patient and Device conditional creates, a
/// coincident timestamp, Observations that refer to them by `urn:uuid`).
///
/// Each entry is answered: a Patient or Device entry with the location of
/// what it resolved to (`200 OK`), a reading with `201 Created` or, resent,
/// `200 OK` and its `Observation/<id>`, and an Observation that is no reading
/// (a kind Varde does not monitor, a coincident timestamp, a value the device
/// marked absent or doubtful) with `200 OK` and a warning saying why, so the
/// SpO2 beside a perfusion index is never lost. A transaction fails as a whole
/// only for what would make its readings wrong: an unknown patient or device,
/// a reading that does not hold (implausible, unbound at its time, an id
/// reused with other content), a broken reference.
struct FHIRBundleUpload {
    let services: AppServices
    let guardian: Guard

    /// A PHD gateway's continuous upload (a pulse oximeter at one value a second,
    /// three Observations each) runs to thousands of entries.
    static let maxEntries = 10_000
    static let bodyLimit = 32 * 1024 * 1024
    /// A device clock further off the gateway's than this is named in a warning.
    static let largeClockOffset: Double = 300

    func run(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let data = Data(buffer: try await RequestBody.collect(request, accepting: FHIRController.mediaTypes, limit: Self.bodyLimit))
        let bundle = try FHIRJSON.decode(FHIRBundle.self, from: data, root: "Bundle")
        let plan = try FHIRBundleReader.plan(bundle)
        guard plan.entries.count <= Self.maxEntries else {
            throw FHIRMappingError.unprocessable("at most \(Self.maxEntries) entries", at: "Bundle.entry", code: "too-costly")
        }
        let transaction = plan.mode == .transaction
        let resolved = try await FHIRBundleResolver(services: services).resolve(
            plan, caller: caller, access: guardian.access(caller, .postFHIRBundle, request, context))
        var outcomes = [FHIREntryOutcome?](repeating: nil, count: plan.entries.count)
        var readings: [(index: Int, submission: ReadingSubmission)] = []
        for (i, entry) in plan.entries.enumerated() {
            switch entry {
            case .invalid(let error): outcomes[i] = .failed(error)
            case .patient, .device: outcomes[i] = resolved.outcomes[i]
            case .observation:
                switch FHIRBundleReader.observation(at: i, of: plan, resolution: resolved.resolution) {
                case .failure(let error): outcomes[i] = .failed(error)
                case .success(.notAReading(let why)):
                    outcomes[i] = .acknowledged(
                        .warning(
                            code: why.issueCode, diagnostics: "not stored: " + why.message, expression: Self.located(why.expression, i)))
                case .success(.reading(let s)): readings.append((i, s))
                }
            }
        }
        if transaction, let failed = outcomes.compactMap({ if case .failed(let e)? = $0 { e } else { nil } }).first {
            throw failed
        }
        let results = try await Ingest(services: services).run(
            readings.map { .success($0.submission) }, caller: caller, requestID: context.id, route: "POST /fhir",
            allOrNothing: transaction)
        for ((index, submission), result) in zip(readings, results) {
            switch result {
            case .created(let id): outcomes[index] = Self.noting(.created(eventID: id), submission, index)
            case .duplicate(let id): outcomes[index] = Self.noting(.duplicate(eventID: id), submission, index)
            case .rejected(let error) where error == .notAttempted: continue
            case .rejected(let error):
                let located = FHIRController.mappingError(error, kind: submission.kind).inBundleEntry(index)
                if transaction { throw located }
                outcomes[index] = .failed(located)
            }
        }
        try await describeDevices(resolved.descriptions, request, context, caller)
        let response = FHIRBundleBuilder.response(
            mode: plan.mode, outcomes: outcomes.map { $0 ?? .failed(Self.notAttempted) }, timestamp: services.now)
        return try JSONResponse.make(response, contentType: FHIRController.contentType)
    }

    /// A reading whose device clock was far off the gateway's gets a warning beside it.
    static func noting(_ outcome: FHIREntryOutcome, _ s: ReadingSubmission, _ index: Int) -> FHIREntryOutcome {
        guard let offset = s.clockOffset, abs(offset) > largeClockOffset else { return outcome }
        let minutes = Int((abs(offset) / 60).rounded())
        return .noted(
            outcome,
            .warning(
                code: "informational",
                diagnostics: "the device's clock was about \(minutes) min \(offset > 0 ? "ahead of" : "behind") the gateway's; "
                    + "the measured time is the gateway's correction (check the device's clock)",
                expression: "Bundle.entry[\(index)].resource.effective"))
    }

    static func located(_ expression: String, _ index: Int) -> String {
        FHIRMappingError(status: 200, issueCode: "", message: "", expression: expression).inBundleEntry(index).expression
    }

    static let notAttempted = FHIRMappingError(
        status: 424, issueCode: "processing", message: "not stored: another entry failed", expression: "Bundle.entry")

    /// Records what the gateway said about each device with its binding, when it
    /// differs from what the binding holds (first seen, or a firmware update).
    private func describeDevices(
        _ descriptions: [(patient: UUID, serial: String, description: DeviceDescription)], _ request: Request,
        _ context: AppContext, _ caller: Caller
    ) async throws {
        guard !descriptions.isEmpty else { return }
        let states = try await services.patients.states(of: Set(descriptions.map(\.patient)))
        let new = descriptions.filter { d in states[d.patient]?.devices.last(where: { $0.serial == d.serial })?.description != d.description
        }
        guard !new.isEmpty else { return }
        let access = guardian.access(caller, .postFHIRBundle, request, context)
        let entries = Set(new.map(\.patient)).sorted { $0.uuidString < $1.uuidString }.map { access.entry($0) }
        let logged = try PGConnection.accessLogStatement(entries)
        let execution = try await services.patients.execute(
            new.map { PatientRepository.Item(patientID: $0.patient, command: .describeDevice(serial: $0.serial, $0.description)) },
            context: guardian.decisionContext(caller), metadata: guardian.metadata(caller, context: context),
            writing: [logged].compactMap { $0 })
        await services.awaitProjection(execution.position)
    }
}
