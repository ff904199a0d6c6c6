import Foundation
import Hummingbird
import VardeCore

/// `GET /fhir/metadata`: the CapabilityStatement, made from the routes the
/// server registered (`RegisteredRoute`), so it cannot promise an interaction
/// that is not served nor leave out one that is. Open, like `/openapi.yaml`:
/// a FHIR client reads it before it authenticates.
enum FHIRCapabilities {
    static let phdGuide = "http://hl7.org/fhir/uv/phd/ImplementationGuide/hl7.fhir.uv.phd"
    static let phd = "http://hl7.org/fhir/uv/phd/StructureDefinition/"

    /// Profiles per resource type: what Varde reads and writes.
    static let profiles: [String: (base: String?, supported: [String])] = [
        "Observation": (
            "http://hl7.org/fhir/StructureDefinition/vitalsigns",
            ["http://hl7.org/fhir/StructureDefinition/bp"]
                + ["PhdNumericObservation", "PhdCompoundNumericObservation", "PhdCoincidentTimeStampObservation"].map { phd + $0 }
        ),
        "Patient": (nil, [phd + "PhdPatient"]),
        "Device": (nil, [phd + "PhdDevice", phd + "PhgDevice"]),
    ]

    static let documentation: [String: String] = [
        "Observation":
            "Vital signs (blood pressure, SpO2, body weight, pulse, body temperature) coded in LOINC or IEEE 11073 MDC, "
            + "posted by gateways; read and searched by the patient's care teams.",
        "Patient":
            "Never created: a Bundle's Patient entry (conditional create) resolves to an enrolled patient by "
            + "fødselsnummer/D-nummer or by an identifier a clinician registered.",
        "Device":
            "Never created: a Bundle's Device entry resolves to a device bound to a patient, by EUI-64 system id, "
            + "Bluetooth address or serial number; the id is the serial it is bound under.",
    ]

    /// The statement for `routes`, dated `date` (the server's start).
    static func statement(_ routes: [RegisteredRoute], date: Date) -> FHIRCapabilityStatement {
        var interactions: [String: [String]] = [:]
        var system: [FHIRCapabilityStatement.Interaction] = []
        for route in routes where route.path == "/fhir" || route.path.hasPrefix("/fhir/") {
            let parts = route.path.split(separator: "/").dropFirst().map(String.init)
            switch (route.method, parts.count) {
            case ("POST", 0):
                system += [
                    .init(code: "transaction", documentation: "PHD gateways' transaction Bundles; all or nothing"),
                    .init(code: "batch", documentation: "each entry answered on its own"),
                ]
            case ("POST", 1): interactions[parts[0], default: []].append("create")
            case ("GET", 1): interactions[parts[0], default: []].append("search-type")
            case ("GET", 2): interactions[parts[0], default: []].append("read")
            default: continue
            }
        }
        // Patient and Device entries of a Bundle are conditional creates, resolved, never made.
        for type in ["Patient", "Device"] where interactions[type] != nil { interactions[type]!.insert("create", at: 0) }
        let resources = interactions.keys.sorted().map { type in
            FHIRCapabilityStatement.Resource(
                type: type, profile: profiles[type]?.base, supportedProfile: profiles[type]?.supported,
                documentation: documentation[type],
                interaction: interactions[type]!.map { .init(code: $0) },
                conditionalCreate: type == "Observation" ? nil : true,
                searchParam: interactions[type]!.contains("search-type") && type == "Observation"
                    ? FHIRSearchQuery.parameters.map { .init(name: $0.name, type: $0.type, documentation: $0.documentation) } : nil)
        }
        return FHIRCapabilityStatement(
            date: FHIRDateTime.format(date), publisher: "Varde",
            software: .init(name: "Varde"),
            implementation: .init(description: "Varde: digital home follow-up (DHO), FHIR R4 for device gateways"),
            format: ["application/fhir+json", "json"], implementationGuide: [phdGuide],
            rest: [
                .init(
                    mode: "server",
                    documentation: "Gateways authenticate with their API key, staff with a bearer token (OpenID Connect).",
                    security: .init(cors: false, description: "Authorization: Bearer <gateway API key or staff access token>"),
                    resource: resources, interaction: system)
            ])
    }

    static func response(_ statement: FHIRCapabilityStatement) throws -> Response {
        try JSONResponse.make(statement, contentType: FHIRController.contentType)
    }
}
