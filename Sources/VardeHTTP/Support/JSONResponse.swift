import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// JSON responses with one encoder: sorted keys, RFC 3339 instants in UTC,
/// with milliseconds as event bodies and the read models have them
/// (`2026-11-23T08:00:00.000Z`), or microseconds where the instant has them
/// (the time PostgreSQL recorded an event).
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(instant(date))
        }
        return encoder
    }()

    static func instant(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        return micros % 1000 == 0 ? EventDate.format(date) : VardeStore.Timestamp.format(date)
    }

    static func make(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, contentType: String = "application/json",
        headers: HTTPFields = [:]
    ) throws -> Response {
        var fields = headers
        fields[.contentType] = contentType
        let json = try encoder.encode(LowercaseUUIDs(value: value))
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }

    /// A body that is already JSON text: audit answers that carry stored events byte for byte (`AuditViews.splice`).
    static func raw(_ json: String, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
