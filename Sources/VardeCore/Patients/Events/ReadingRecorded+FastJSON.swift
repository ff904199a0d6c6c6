import Foundation

// Hand-written readers for the bodies that make up nearly every event in a
// log (readings and their metadata), used by `PatientEvent.decode` and the
// event reader before `JSONDecoder`. They accept exactly what the synthesized
// `Decodable` conformances accept or return nil (the caller then decodes with
// `JSONDecoder`); `FastJSONTests` holds them to that.

extension ReadingRecorded {
    init?(json: JSONValue) {
        guard var f = JSONFields(json) else { return nil }
        let readingId = f.required("readingId", JSONFields.uuid)
        let gatewayReadingId = f.required("gatewayReadingId", JSONFields.string)
        let gateway = f.optional("gateway", JSONFields.uuid)
        let deviceSerial = f.optional("deviceSerial", JSONFields.string)
        let measuredAt = f.required("measuredAt", JSONFields.date)
        let receivedAt = f.required("receivedAt", JSONFields.date)
        let value = f.required("value", MeasurementValue.init(json:))
        let asSent = f.required("asSent", ReadingAsSent.init(json:))
        let clockOffset = f.optional("clockOffset", JSONFields.number)
        guard f.ok, let readingId, let gatewayReadingId, let measuredAt, let receivedAt, let value, let asSent else { return nil }
        self.init(
            readingId: readingId, gatewayReadingId: gatewayReadingId, gateway: gateway, deviceSerial: deviceSerial,
            measuredAt: measuredAt, receivedAt: receivedAt, value: value, asSent: asSent, clockOffset: clockOffset)
    }
}

extension MeasurementValue {
    init?(json: JSONValue) {
        guard var f = JSONFields(json), let kind = f.required("kind", { $0.string.flatMap(MeasurementKind.init(rawValue:)) }) else {
            return nil
        }
        switch kind {
        case .bloodPressure:
            let systolic = f.required("systolic", JSONFields.number), diastolic = f.required("diastolic", JSONFields.number)
            let pulse = f.optional("pulse", JSONFields.number)
            guard f.ok, let systolic, let diastolic else { return nil }
            self = .bloodPressure(systolic: systolic, diastolic: diastolic, pulse: pulse)
        case .spo2, .weight, .pulse, .temperature:
            guard let v = f.required("value", JSONFields.number) else { return nil }
            switch kind {
            case .spo2: self = .spo2(percent: v)
            case .weight: self = .weight(kg: v)
            case .pulse: self = .pulse(perMinute: v)
            default: self = .temperature(celsius: v)
            }
        }
    }
}

extension ReadingAsSent {
    init?(json: JSONValue) {
        guard var f = JSONFields(json) else { return nil }
        let unit = f.required("unit", JSONFields.string)
        let value = f.optional("value", JSONFields.number), systolic = f.optional("systolic", JSONFields.number)
        let diastolic = f.optional("diastolic", JSONFields.number), pulse = f.optional("pulse", JSONFields.number)
        guard f.ok, let unit else { return nil }
        self.init(unit: unit, value: value, systolic: systolic, diastolic: diastolic, pulse: pulse)
    }
}

extension EventMetadata {
    /// Reads stored metadata: the fast reader first, `JSONDecoder` when it gives up.
    public static func decode(_ data: Data) throws -> EventMetadata {
        if let json = JSONReader.parse(data), let metadata = EventMetadata(json: json) { return metadata }
        return try EventJSON.decoder.decode(EventMetadata.self, from: data)
    }

    init?(json: JSONValue) {
        guard var f = JSONFields(json) else { return nil }
        let actor = f.required("actor", JSONFields.string), role = f.required("role", JSONFields.string)
        let team = f.optional("team", JSONFields.uuid), gateway = f.optional("gateway", JSONFields.uuid)
        let device = f.optional("device", JSONFields.string), requestID = f.optional("requestID", JSONFields.string)
        let correlationID = f.optional("correlationID", JSONFields.uuid), causationID = f.optional("causationID", JSONFields.uuid)
        let traceparent = f.optional("traceparent", JSONFields.string)
        guard f.ok, let actor, let role else { return nil }
        self.init(
            actor: actor, role: role, team: team, gateway: gateway, device: device,
            requestID: requestID, correlationID: correlationID, causationID: causationID, traceparent: traceparent)
    }
}
