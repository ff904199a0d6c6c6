import Foundation

/// The one JSON style of event bodies and of the read models derived from
/// them: sorted keys, instants as `EventDate` (UTC, milliseconds), so equal
/// values always give equal bytes. Encoding and decoding never change the
/// coders' settings, so one of each serves every thread.
public enum EventJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(EventDate.format(date))
        }
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            guard let date = EventDate.parse(try container.decode(String.self)) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 instant")
            }
            return date
        }
        return decoder
    }()
}
