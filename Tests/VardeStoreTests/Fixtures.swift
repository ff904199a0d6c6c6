import Foundation
import VardeCore
import VardeStore

/// Small builders shared by the store tests.
enum Fixture {
    static func event(_ type: String = "Tested", body: String = #"{"n": 1}"#, id: UUID = UUID()) -> NewEvent {
        NewEvent(id: id, type: type, data: Data(body.utf8), metadata: EventMetadata(actor: "test", role: "system"))
    }

    static func stream() -> String { "patient-\(UUID().uuidString.lowercased())" }
}
