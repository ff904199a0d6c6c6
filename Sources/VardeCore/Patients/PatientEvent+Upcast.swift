import Foundation

/// Upcasters: each turns the JSON of one schema version into the next, step by step.
extension PatientEvent {
    static func upcast(type: String, from version: Int, data: Data) throws(DomainError) -> Data {
        var json: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw DomainError.invalid(field: "/data", reason: "\(type) body is not an object")
            }
            json = object
        } catch {
            throw .invalid(field: "/data", reason: "\(type) v\(version) is not JSON")
        }
        var v = version
        while true {
            switch (type, v) {
            case (PatientEnrolled.type, 1):
                // v1 had no `nationalIdKind`: a D-nummer has 4–7 as its first digit (day + 40).
                let first = (json["nationalId"] as? String)?.first?.wholeNumberValue ?? 0
                json["nationalIdKind"] = (first >= 4 ? NationalIdentifier.Kind.dNummer : .fodselsnummer).rawValue
            default:
                return (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? data
            }
            v += 1
        }
    }
}
