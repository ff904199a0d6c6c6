import Foundation
import Testing
import VardeCore

@testable import VardeHTTP

/// Cursors clients hold stay valid: both cursors are unpadded base64url, written
/// and read with VardeCore's base64url; text made the way they were made before
/// (standard base64, `+/` swapped, `=` dropped) and padded text still decode.
@Suite struct CursorTextTests {
    /// How cursors were written before base64url had one implementation.
    static func writtenBefore(_ plain: String) -> String {
        Data(plain.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func padded(_ text: String) -> String { text + String(repeating: "=", count: (4 - text.count % 4) % 4) }

    @Test func feedCursorTextIsUnchanged() throws {
        for (position, seq) in [(0, 0), (1, 2), (12_345, 0), (Int64.max, 7), (999, 63)] as [(Int64, Int)] {
            let cursor = FeedCursor(position: position, seq: seq)
            let before = Self.writtenBefore("v1:\(position):\(seq)")
            #expect(cursor.text == before)
            #expect(try FeedCursor(text: before) == cursor)
            #expect(try FeedCursor(text: Self.padded(before)) == cursor)
        }
        for bad in ["", "xyz", "v1:1:2", Self.writtenBefore("v2:1:2"), Self.writtenBefore("v1:-1:0"), "dj+6MTox"] {
            #expect(throws: Problem.self) { try FeedCursor(text: bad) }
        }
    }

    @Test func fhirSearchCursorTextIsUnchanged() throws {
        let id = UUID(uuidString: "0b3c1d9e-6f0a-4a8e-9d55-1c2b3a4d5e6f")!
        for (micros, descending) in [(0, false), (1_740_000_000_123_456, true), (-5, false)] as [(Int64, Bool)] {
            let cursor = FHIRSearchCursor(micros: micros, eventID: id, descending: descending)
            let before = Self.writtenBefore("v1:\(descending ? "d" : "a"):\(micros):\(id.uuidString.lowercased())")
            #expect(cursor.text == before)
            #expect(try FHIRSearchCursor(text: before) == cursor)
            #expect(try FHIRSearchCursor(text: Self.padded(before)) == cursor)
        }
        for bad in ["", "xyz", Self.writtenBefore("v1:x:0:\(id)"), Self.writtenBefore("v1:a:0")] {
            #expect(throws: FHIRMappingError.self) { try FHIRSearchCursor(text: bad) }
        }
    }
}
