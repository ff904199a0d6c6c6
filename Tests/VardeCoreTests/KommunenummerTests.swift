import Foundation
import Testing
import VardeCore

@Suite struct KommunenummerTests {
    @Test(arguments: ["0301", "4601", "5001", "0001", "9999"])
    func acceptsFourDigits(_ text: String) throws {
        let number = try Kommunenummer(text)
        #expect(number.value == text)
        #expect(number.description == text)
    }

    @Test(arguments: ["301", "03011", "", "0000", "03a1", " 301", "0301 ", "-301", "+301", "０３０１", "٠٣٠١"])
    func rejectsEverythingElse(_ text: String) {
        #expect {
            try Kommunenummer(text)
        } throws: { error in
            guard case .invalid(let field, _) = error as? DomainError else { return false }
            return field == "/kommunenummer"
        }
    }

    @Test func encodesAsStringKeepingTheLeadingZero() throws {
        let oslo = try Kommunenummer("0301")
        let json = try JSONEncoder().encode(["kommune": oslo])
        #expect(String(decoding: json, as: UTF8.self) == #"{"kommune":"0301"}"#)
        #expect(try JSONDecoder().decode([String: Kommunenummer].self, from: json)["kommune"] == oslo)
    }

    @Test(arguments: [#"{"k":"0000"}"#, #"{"k":"301"}"#, #"{"k":301}"#])
    func decodingRefusesInvalidNumbers(_ json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([String: Kommunenummer].self, from: Data(json.utf8))
        }
    }

    @Test func ordersAndHashesByValue() throws {
        let numbers = try ["5001", "0301", "4601", "0301"].map { (text: String) throws(DomainError) in try Kommunenummer(text) }
        #expect(numbers.sorted().map(\.value) == ["0301", "0301", "4601", "5001"])
        #expect(Set(numbers).count == 3)
    }
}
