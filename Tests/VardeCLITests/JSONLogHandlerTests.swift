import Foundation
import Logging
import Testing

@testable import VardeCLI

/// Issue 16: logs an operator can ship: one JSON object a line, millisecond
/// UTC times, nested metadata kept as JSON objects and arrays.
@Suite("Logs: JSON lines")
struct JSONLogHandlerTests {
    @Test("times carry milliseconds in UTC")
    func timestamp() {
        let text = JSONLogHandler.timestamp(Date(timeIntervalSince1970: 1_764_706_960.123))
        #expect(text == "2025-12-02T20:22:40.123Z" || text == "2025-12-02T20:22:40.122Z")
    }

    @Test("nested metadata stays JSON: objects, arrays, strings")
    func nested() throws {
        let value = JSONLogHandler.json(
            .dictionary(["route": "/v1/patients/{patientId}", "statuses": .array([.stringConvertible(200), "ok"])]))
        let data = try JSONSerialization.data(withJSONObject: ["m": value], options: [.sortedKeys])
        #expect(String(decoding: data, as: UTF8.self) == #"{"m":{"route":"\/v1\/patients\/{patientId}","statuses":["200","ok"]}}"#)
    }
}
