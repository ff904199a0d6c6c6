import Foundation

extension PatientEvent {
    /// The body as UTF-8 JSON.
    public func encode() -> Data {
        // Encoding these plain value types cannot fail.
        try! EventJSON.encoder.encode(AnyBody(body))
    }

    /// Decodes a stored body, upcasting older schema versions.
    public static func decode(type: String, schemaVersion: Int, data: Data) throws(DomainError) -> PatientEvent {
        func body<T: PatientEventBody>(_: T.Type) throws(DomainError) -> T {
            guard (1...T.schemaVersion).contains(schemaVersion) else {
                throw .invalid(field: "/schemaVersion", reason: "\(type) v\(schemaVersion) is not known")
            }
            var bytes = data
            if schemaVersion < T.schemaVersion { bytes = try upcast(type: type, from: schemaVersion, data: data) }
            do { return try EventJSON.decoder.decode(T.self, from: bytes) } catch {
                throw .invalid(field: "/data", reason: "\(type) v\(schemaVersion) does not decode")
            }
        }
        if type == ReadingRecorded.type, schemaVersion == ReadingRecorded.schemaVersion,
            let json = JSONReader.parse(data), let reading = ReadingRecorded(json: json)
        {
            return .readingRecorded(reading)
        }
        switch type {
        case PatientEnrolled.type: return .patientEnrolled(try body(PatientEnrolled.self))
        case TeamsAssigned.type: return .teamsAssigned(try body(TeamsAssigned.self))
        case RoutingChanged.type: return .routingChanged(try body(RoutingChanged.self))
        case ThresholdsChanged.type: return .thresholdsChanged(try body(ThresholdsChanged.self))
        case PatientDischarged.type: return .patientDischarged(try body(PatientDischarged.self))
        case DeviceBound.type: return .deviceBound(try body(DeviceBound.self))
        case DeviceUnbound.type: return .deviceUnbound(try body(DeviceUnbound.self))
        case DeviceDescribed.type: return .deviceDescribed(try body(DeviceDescribed.self))
        case PatientIdentifiersChanged.type: return .patientIdentifiersChanged(try body(PatientIdentifiersChanged.self))
        case ReadingRecorded.type: return .readingRecorded(try body(ReadingRecorded.self))
        case ReadingVoided.type: return .readingVoided(try body(ReadingVoided.self))
        case AlertRaised.type: return .alertRaised(try body(AlertRaised.self))
        case AlertUpdated.type: return .alertUpdated(try body(AlertUpdated.self))
        case AlertAcknowledged.type: return .alertAcknowledged(try body(AlertAcknowledged.self))
        case AlertEscalated.type: return .alertEscalated(try body(AlertEscalated.self))
        case AlertResolved.type: return .alertResolved(try body(AlertResolved.self))
        default: throw .invalid(field: "/type", reason: "unknown patient event type")
        }
    }
}

/// Lets `encode()` hand an existential body to `JSONEncoder`.
private struct AnyBody: Encodable {
    let body: any PatientEventBody
    init(_ body: any PatientEventBody) { self.body = body }
    func encode(to encoder: any Encoder) throws { try body.encode(to: encoder) }
}
