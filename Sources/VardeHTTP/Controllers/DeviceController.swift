import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// Binding devices to patients (clinicians). A device serves one patient at a
/// time; rebinding it to another patient later is fine once it is unbound.
struct DeviceController {
    let patients: PatientController

    struct Bind: Decodable {
        /// Optional when `identifiers` are given: the first one's value stands in.
        var serial: String?
        var kind: String
        /// The device's IEEE EUI-64 system id, Bluetooth address, … (what a PHD gateway names it by).
        var identifiers: [IdentifierInput]?
    }

    /// Device kinds as a gateway vendor names them; `gateway` is a PHD gateway (hub) itself.
    static let deviceKinds = ["bloodPressureMonitor", "pulseOximeter", "scale", "thermometer", "multi", "gateway"]

    func register(_ routes: RouteTable) {
        routes.on(.post, "/v1/patients/{patientId}/devices", .bindDevice, bind)
        routes.on(.delete, "/v1/patients/{patientId}/devices/{serial}", .unbindDevice, unbind)
    }

    @Sendable func bind(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let body = try await RequestBody.decode(Bind.self, from: request)
        let identifiers = try Self.identifiers(body.identifiers ?? [])
        let serial = (body.serial ?? identifiers.first?.value ?? "").trimmingCharacters(in: .whitespaces)
        guard !serial.isEmpty, serial.count <= 100, TextRules.isSingleLine(serial) else {
            throw Problem.invalid("serial must be 1–100 characters on one line (or give identifiers)", pointer: "/serial")
        }
        guard MeasurementKind(rawValue: body.kind) != nil || Self.deviceKinds.contains(body.kind) else {
            throw Problem.invalid("kind must be one of \(Self.deviceKinds.joined(separator: ", "))", pointer: "/kind")
        }
        let id = try context.parameters.uuid("patientId")
        return try await patients.command(
            .bindDevice(serial: serial, kind: body.kind, identifiers: identifiers), .bindDevice, request, context, caller,
            status: .created
        ) {
            try $0.ensureDeviceFree(serial, identifiers: identifiers, for: id)
        }
    }

    /// The identifiers as stored: EUI-64 and Bluetooth addresses in the PHD IG's
    /// spelling (`00-1C-05-04-00-00-78-25`).
    static func identifiers(_ given: [IdentifierInput]) throws -> [RegisteredIdentifier] {
        var out: [RegisteredIdentifier] = []
        for (i, raw) in try IdentifierInput.checked(given).enumerated() {
            guard let normal = DeviceIdentity.normalized(raw) else {
                throw Problem.invalid(
                    "an EUI-64 has 8 bytes and a Bluetooth address 6, in hex (e.g. 00-1C-05-04-00-00-78-25)",
                    pointer: "/identifiers/\(i)/value")
            }
            if !out.contains(normal) { out.append(normal) }
        }
        return out
    }

    @Sendable func unbind(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let serial = try context.parameters.require("serial")
        _ = try await patients.command(.unbindDevice(serial: serial), .unbindDevice, request, context, caller)
        return Response(status: .noContent)
    }
}
