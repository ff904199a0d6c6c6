import Testing
import VardeCore

@Suite struct NationalIdentifierTests {
    @Test(arguments: [
        ("31129956715", NationalIdentifier.Kind.fodselsnummer),
        ("29100207042", .fodselsnummer),
        ("43022014103", .dNummer),
        ("10915596784", .fodselsnummer),  // Test-Norge synthetic: month + 80
    ])
    func acceptsValidNumbers(_ text: String, _ kind: NationalIdentifier.Kind) throws {
        let id = try NationalIdentifier(text)
        #expect(id.value == text)
        #expect(id.kind == kind)
        #expect(id.system == (kind == .dNummer ? "urn:oid:2.16.578.1.12.4.1.4.2" : "urn:oid:2.16.578.1.12.4.1.4.1"))
    }

    @Test(arguments: ["12345678910", "31129956716", "31129956705"])
    func rejectsWrongCheckDigits(_ text: String) {
        #expect(throws: DomainError.invalid(field: "/nationalId", reason: "check digits do not match")) {
            try NationalIdentifier(text)
        }
    }

    @Test(arguments: ["", "3112995671", "311299567150", "3112995671a", "31129 56715", "3112995671 ", "ABCDEFGHIJK", "311299-6715"])
    func rejectsWrongLengthAndNonDigits(_ text: String) {
        #expect(throws: DomainError.invalid(field: "/nationalId", reason: "must be 11 digits")) {
            try NationalIdentifier(text)
        }
    }

    /// From 2032 the first check digit may make the weighted sum ≡ 0…3 (mod 11).
    /// For 311299567 the sum is ≡ 10: k1 = 1 is the classic digit (≡ 0), k1 = 2 and 3
    /// give ≡ 1 and 2 (k2 recomputed), k1 = 4 (≡ 3) would need k2 = 10, so none exists.
    @Test(arguments: ["31129956723", "31129956731"])
    func acceptsTheCheckDigitRuleFrom2032(_ text: String) throws {
        #expect(try NationalIdentifier(text).value == text)
    }

    @Test(arguments: ["31129956740", "31129956741", "31129956749", "31129956724"])
    func rejectsCheckDigitsOutsideThe2032Rule(_ text: String) {
        #expect(throws: DomainError.invalid(field: "/nationalId", reason: "check digits do not match")) {
            try NationalIdentifier(text)
        }
    }

    @Test func rejectsImpossibleDates() {
        // Month 13; check digits are valid for the digits given.
        #expect(throws: DomainError.invalid(field: "/nationalId", reason: "not a valid date of birth")) {
            try NationalIdentifier("01139912396")
        }
    }

    @Test func neverPrintsTheNumber() throws {
        let id = try NationalIdentifier("31129956715")
        #expect(!"\(id)".contains("31129956715"))
        #expect(!String(describing: [id]).contains("31129956715"))
    }
}
