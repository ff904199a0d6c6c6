import Foundation
import VardeCore
import VardeSimulator

/// Request bodies as gateways write them: the native reading batch, a FHIR
/// vital-signs Observation, and the PHD IG's transaction Bundle (the patient
/// and the device as conditional creates, Observations referring to them by
/// `urn:uuid`, MDC codes beside LOINC). Values go in canonical units.
enum UploadBody {
    static func time(_ d: Date) -> String { EventDate.format(d) }

    static func native(_ r: SimReading, serial: String) -> [String: Any] {
        var item: [String: Any] = ["id": r.id, "deviceSerial": serial, "measuredAt": time(r.measuredAt)]
        switch r.value {
        case .spo2(let v): item.merge(["kind": "spo2", "unit": "%", "value": v]) { $1 }
        case .pulse(let v): item.merge(["kind": "pulse", "unit": "/min", "value": v]) { $1 }
        case .weight(let v): item.merge(["kind": "weight", "unit": "kg", "value": v]) { $1 }
        case .temperature(let v): item.merge(["kind": "temperature", "unit": "Cel", "value": v]) { $1 }
        case .bloodPressure(let s, let d, let p):
            item.merge(["kind": "bloodPressure", "unit": "mm[Hg]", "systolic": s, "diastolic": d]) { $1 }
            if let p { item["pulse"] = p }
        }
        return item
    }

    static let ucum = "http://unitsofmeasure.org", loinc = "http://loinc.org", mdc = "urn:iso:std:iso:11073:10101"

    /// (LOINC, MDC) codes of a value's kind.
    static func codes(_ v: MeasurementValue) -> (String, String) {
        switch v {
        case .spo2: ("59408-5", "150456")
        case .pulse: ("8867-4", "149530")
        case .weight: ("29463-7", "188736")
        case .temperature: ("8310-5", "150364")
        case .bloodPressure: ("85354-9", "150020")
        }
    }

    static func quantity(_ value: Double, _ unit: String) -> [String: Any] {
        ["value": value, "unit": unit, "system": ucum, "code": unit]
    }

    static func observation(_ r: SimReading, subject: String, device: String?, system: String, withMDC: Bool) -> [String: Any] {
        let (l, m) = codes(r.value)
        var coding: [[String: Any]] = [["system": loinc, "code": l]]
        if withMDC { coding.insert(["system": mdc, "code": m], at: 0) }
        var o: [String: Any] = [
            "resourceType": "Observation", "status": "final",
            "identifier": [["system": system, "value": r.id]],
            "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"]]]],
            "code": ["coding": coding], "subject": ["reference": subject], "effectiveDateTime": time(r.measuredAt),
        ]
        if let device { o["device"] = ["reference": device] }
        switch r.value {
        case .spo2(let v): o["valueQuantity"] = quantity(v, "%")
        case .pulse(let v): o["valueQuantity"] = quantity(v, "/min")
        case .weight(let v): o["valueQuantity"] = quantity(v, "kg")
        case .temperature(let v): o["valueQuantity"] = quantity(v, "Cel")
        case .bloodPressure(let s, let d, _):
            // The panel's two components; a cuff's pulse would be an Observation of its own.
            func component(_ loincCode: String, _ mdcCode: String, _ v: Double) -> [String: Any] {
                var c: [[String: Any]] = [["system": loinc, "code": loincCode]]
                if withMDC { c.insert(["system": mdc, "code": mdcCode], at: 0) }
                return ["code": ["coding": c], "valueQuantity": quantity(v, "mm[Hg]")]
            }
            o["component"] = [component("8480-6", "150021", s), component("8462-4", "150022", d)]
        }
        return o
    }

    static func uuid(_ name: String) -> String {
        "urn:uuid:" + DeterministicID.uuid5(namespace: DeterministicID.readingNamespace, name: name).uuidString.lowercased()
    }

    /// A PHD transaction Bundle of one session's readings for `p`.
    static func phdBundle(_ readings: [SimReading], patient p: SimPatient, upload: Int) -> [String: Any] {
        let patientURL = uuid("sim-patient-\(p.index)")
        var entries: [[String: Any]] = [
            [
                "fullUrl": patientURL,
                "request": [
                    "method": "POST", "url": "Patient", "ifNoneExist": "identifier=\(SimPatient.hubPatientSystem)|\(p.hubPatientID)",
                ],
                "resource": ["resourceType": "Patient", "identifier": [["system": SimPatient.hubPatientSystem, "value": p.hubPatientID]]],
            ]
        ]
        var devices: [DeviceKind: String] = [:]
        for r in readings where devices[r.device] == nil {
            let url = uuid("sim-device-\(p.index)-\(r.device.rawValue)")
            devices[r.device] = url
            entries.append([
                "fullUrl": url,
                "request": [
                    "method": "POST", "url": "Device", "ifNoneExist": "identifier=\(DeviceIdentity.eui64System)|\(p.eui64(r.device))",
                ],
                "resource": [
                    "resourceType": "Device", "identifier": [["system": DeviceIdentity.eui64System, "value": p.eui64(r.device)]],
                ],
            ])
        }
        for r in readings {
            entries.append([
                "fullUrl": uuid("sim-observation-\(r.id)"),
                "request": ["method": "POST", "url": "Observation"],
                "resource": observation(
                    r, subject: patientURL, device: devices[r.device], system: "urn:oid:2.999.47.\(p.index)", withMDC: true),
            ])
        }
        return ["resourceType": "Bundle", "type": "transaction", "entry": entries]
    }
}
