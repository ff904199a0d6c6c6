import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// Binding devices to patients (clinicians). A device serves one patient at a
/// time; rebinding it to another patient later is fine once it is unbound.
struct DeviceController {
    let patients: PatientController

    struct Bind: Decodable {
        var serial: String
        var kind: String
    }

    /// Device kinds as a gateway vendor names them.
    static let deviceKinds = ["bloodPressureMonitor", "pulseOximeter", "scale", "thermometer", "multi"]

    func register(_ routes: RouteTable) {
        routes.on(.post, "/v1/patients/{patientId}/devices", .bindDevice, bind)
        routes.on(.delete, "/v1/patients/{patientId}/devices/{serial}", .unbindDevice, unbind)
    }

    @Sendable func bind(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let body = try await RequestBody.decode(Bind.self, from: request)
        let serial = body.serial.trimmingCharacters(in: .whitespaces)
        guard !serial.isEmpty, serial.count <= 100, TextRules.isSingleLine(serial) else {
            throw Problem.invalid("serial must be 1–100 characters on one line", pointer: "/serial")
        }
        guard MeasurementKind(rawValue: body.kind) != nil || Self.deviceKinds.contains(body.kind) else {
            throw Problem.invalid("kind must be one of \(Self.deviceKinds.joined(separator: ", "))", pointer: "/kind")
        }
        let id = try context.parameters.uuid("patientId")
        return try await patients.command(
            .bindDevice(serial: serial, kind: body.kind), .bindDevice, request, context, caller, status: .created
        ) {
            try $0.ensureDeviceFree(serial, for: id)
        }
    }

    @Sendable func unbind(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let serial = try context.parameters.require("serial")
        _ = try await patients.command(.unbindDevice(serial: serial), .unbindDevice, request, context, caller)
        return Response(status: .noContent)
    }
}
