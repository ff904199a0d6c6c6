import Foundation
import NIOHTTP1
import VardeCore
import VardeSimulator

/// Posts uploads as the patients' gateways do, with the gateway's API key,
/// and books what the server answered for each reading.
struct Uploader: Sendable {
    let fleet: Fleet
    let roster: Roster
    let api: APIClient
    let ledger: Ledger

    func post(_ u: Upload) async throws {
        let hub = fleet.patients[u.hub]
        let key = roster.gateway(for: hub).key
        let readings = u.readings.map { fleet.readings[$0] }
        ledger.update {
            $0.requests += 1
            $0.readingsSent += readings.count
        }
        switch u.transport {
        case .nativeSingle, .nativeBatch:
            // By device serial alone: the server files each reading under the patient the device is bound to.
            let items = readings.map { UploadBody.native($0, serial: fleet.patients[$0.patient].serial($0.device)) }
            let reply = try await api.send(.POST, "/v1/readings", token: key, json: ["readings": items], kind: "POST /v1/readings")
            let results = reply.object["results"] as? [[String: Any]] ?? []
            for (i, r) in readings.enumerated() {
                let result = i < results.count ? results[i] : [:]
                let status = result["status"] as? String
                ledger.answer(
                    r.index, eventID: result["eventId"] as? String,
                    created: status == "created" ? true : status == "duplicate" ? false : nil,
                    refusal: status == nil || (status != "created" && status != "duplicate")
                        ? "native \(reply.status) \(refusal(result))" : nil)
            }
        case .fhirObservation:
            let r = readings[0]
            let body = UploadBody.observation(
                r, subject: "Patient/\(roster.patients[r.patient].uuidString.lowercased())", device: nil,
                system: "urn:oid:2.999.47.\(r.measuredBy)", withMDC: false)
            let reply = try await api.send(
                .POST, "/fhir/Observation", token: key, json: body, contentType: "application/fhir+json", kind: "POST /fhir/Observation")
            let id = reply.headers.first(name: "Location").flatMap(Self.observationID)
            ledger.answer(
                r.index, eventID: id, created: reply.status == 201 ? true : reply.status == 200 ? false : nil,
                refusal: "FHIR Observation \(reply.status) \(Self.issue(reply.object))")
        case .phdBundle:
            let body = UploadBody.phdBundle(readings, patient: fleet.patients[readings[0].patient], upload: u.index)
            let reply = try await api.send(
                .POST, "/fhir", token: key, json: body, contentType: "application/fhir+json", kind: "POST /fhir (PHD Bundle)")
            let entries = (reply.object["entry"] as? [[String: Any]] ?? []).map { $0["response"] as? [String: Any] ?? [:] }
            let first = entries.count - readings.count
            for (i, r) in readings.enumerated() {
                let response = first >= 0 && first + i < entries.count ? entries[first + i] : [:]
                let status = response["status"] as? String ?? ""
                ledger.answer(
                    r.index, eventID: (response["location"] as? String).flatMap(Self.observationID),
                    created: reply.status == 200 && status.hasPrefix("201")
                        ? true : reply.status == 200 && status.hasPrefix("200") ? false : nil,
                    refusal: "PHD Bundle \(reply.status) \(status) \(Self.issue(reply.object))")
            }
        }
    }

    private func refusal(_ result: [String: Any]) -> String {
        let problem = result["problem"] as? [String: Any] ?? result
        return "\(problem["status"] ?? "") \(problem["title"] ?? result["status"] ?? "")"
    }

    /// The first issue's code and text of an OperationOutcome (which never carries identifiers).
    static func issue(_ object: [String: Any]) -> String {
        let issue = (object["issue"] as? [[String: Any]])?.first
        return "\(issue?["code"] ?? "") \(issue?["diagnostics"] ?? "")".trimmingCharacters(in: .whitespaces)
    }

    /// The id in `Observation/<id>` (or `/fhir/Observation/<id>`).
    static func observationID(_ location: String) -> String? {
        guard let range = location.range(of: "Observation/") else { return nil }
        return String(location[range.upperBound...].prefix(36))
    }
}
