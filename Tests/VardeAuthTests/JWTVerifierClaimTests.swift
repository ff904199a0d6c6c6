import Foundation
import Testing
import VardeAuth

@Suite struct JWTVerifierClaimTests {
    let verifier = TestKeys.verifier(leeway: 60)
    let now = TestKeys.now.timeIntervalSince1970

    func verify(_ changes: [String: Any], verifier: JWTVerifier? = nil) throws(AuthError) -> StaffIdentity {
        try (verifier ?? self.verifier).verify(TestSigner.token(TestSigner.claims(changes)), now: TestKeys.now)
    }

    @Test(arguments: [(-59.0, true), (-59.9, true), (-60.0, false), (-61.0, false), (-3600.0, false)])
    func expiryHonoursLeeway(offset: Double, accepted: Bool) {
        let result = Result { () throws(AuthError) in try verify(["exp": now + offset]) }
        if accepted { #expect(throws: Never.self) { try result.get() } } else { #expect(throws: AuthError.expired) { try result.get() } }
    }

    @Test(arguments: ["nbf", "iat"], [(60.0, true), (60.5, false), (61.0, false), (86_400.0, false)])
    func futureStartHonoursLeeway(claim: String, boundary: (offset: Double, accepted: Bool)) {
        let (offset, accepted) = boundary
        let result = Result { () throws(AuthError) in try verify([claim: now + offset]) }
        if accepted {
            #expect(throws: Never.self) { try result.get() }
        } else {
            #expect(throws: AuthError.notYetValid) { try result.get() }
        }
    }

    @Test func zeroLeewayIsExact() throws {
        let strict = TestKeys.verifier(leeway: 0)
        #expect(throws: AuthError.expired) { try verify(["exp": now], verifier: strict) }
        _ = try verify(["exp": now + 1, "nbf": now], verifier: strict)
        #expect(throws: AuthError.notYetValid) { try verify(["nbf": now + 1], verifier: strict) }
    }

    @Test func expiryIsRequiredAndNumeric() {
        #expect(throws: AuthError.missingClaim("exp")) { try verify(["exp": NSNull()]) }
        #expect(throws: AuthError.invalidClaim("exp")) { try verify(["exp": "\(now + 300)"]) }
        #expect(throws: AuthError.invalidClaim("nbf")) { try verify(["nbf": true]) }
    }

    @Test func issuerMustMatchExactly() {
        #expect(throws: AuthError.wrongIssuer) { try verify(["iss": "https://evil.example"]) }
        #expect(throws: AuthError.wrongIssuer) { try verify(["iss": TestKeys.issuer + "/"]) }
        #expect(throws: AuthError.missingClaim("iss")) { try verify(["iss": NSNull()]) }
        #expect(throws: AuthError.invalidClaim("iss")) { try verify(["iss": [TestKeys.issuer]]) }
    }

    @Test func audienceMayBeStringOrArray() throws {
        _ = try verify(["aud": ["other-api", TestKeys.audience]])
        #expect(throws: AuthError.wrongAudience) { try verify(["aud": "other-api"]) }
        #expect(throws: AuthError.wrongAudience) { try verify(["aud": ["other-api"]]) }
        #expect(throws: AuthError.wrongAudience) { try verify(["aud": [String]()]) }
        #expect(throws: AuthError.missingClaim("aud")) { try verify(["aud": NSNull()]) }
        #expect(throws: AuthError.invalidClaim("aud")) { try verify(["aud": [TestKeys.audience, 7]]) }
    }

    @Test func roleClaim() throws {
        #expect(throws: AuthError.missingClaim("varde_role")) { try verify(["varde_role": NSNull()]) }
        #expect(throws: AuthError.invalidClaim("varde_role")) { try verify(["varde_role": "surgeon"]) }
        #expect(throws: AuthError.invalidClaim("varde_role")) { try verify(["varde_role": "Nurse"]) }
        #expect(throws: AuthError.invalidClaim("varde_role")) { try verify(["varde_role": ["nurse", "admin"]]) }
        #expect(throws: AuthError.invalidClaim("varde_role")) { try verify(["varde_role": 1]) }
        #expect(try verify(["varde_role": ["helseid-user", "clinician"]]).role == .clinician)
    }

    @Test(arguments: [StaffRole.nurse, .clinician])
    func teamsAreRequiredForCarers(role: StaffRole) {
        #expect(throws: AuthError.missingClaim("varde_teams")) {
            try verify(["varde_role": role.rawValue, "varde_teams": NSNull()])
        }
        #expect(throws: AuthError.missingClaim("varde_teams")) {
            try verify(["varde_role": role.rawValue, "varde_teams": [String]()])
        }
    }

    @Test(arguments: [StaffRole.auditor, .admin])
    func teamsAreOptionalForAuditorsAndAdmins(role: StaffRole) throws {
        let identity = try verify(["varde_role": role.rawValue, "varde_teams": NSNull()])
        #expect(identity.role == role)
        #expect(identity.teams.isEmpty)
    }

    @Test func teamsMayBeSingleStringAndAreDeduplicated() throws {
        let other = UUID()
        #expect(try verify(["varde_teams": TestKeys.team.uuidString]).teams == [TestKeys.team])
        let teams = [TestKeys.team.uuidString, other.uuidString, TestKeys.team.uuidString.lowercased()]
        #expect(try verify(["varde_teams": teams]).teams == [TestKeys.team, other])
        #expect(throws: AuthError.invalidClaim("varde_teams")) {
            try verify(["varde_teams": [TestKeys.team.uuidString, "kommune-oslo"]])
        }
    }

    @Test func subjectIsRequired() {
        #expect(throws: AuthError.missingClaim("sub")) { try verify(["sub": NSNull()]) }
        #expect(throws: AuthError.invalidClaim("sub")) { try verify(["sub": ""]) }
        #expect(throws: AuthError.invalidClaim("sub")) { try verify(["sub": String(repeating: "s", count: 256)]) }
    }

    @Test func claimNamesAreConfigurable() throws {
        let names = JWTVerifier.ClaimNames(role: "helseid://claims/varde/role", teams: "teams", subject: "pid")
        let custom = JWTVerifier(jwks: TestKeys.jwks, issuer: TestKeys.issuer, audience: TestKeys.audience, claimNames: names)
        let identity = try verify(
            [
                "varde_role": NSNull(), "varde_teams": NSNull(), "sub": NSNull(),
                "helseid://claims/varde/role": "clinician", "teams": [TestKeys.team.uuidString], "pid": "p-1",
            ], verifier: custom)
        #expect(identity.subject == "p-1")
        #expect(identity.role == .clinician)
        #expect(throws: AuthError.missingClaim("helseid://claims/varde/role")) { try verify(["pid": "p-1"], verifier: custom) }
    }

    @Test func descriptionsNeverEchoTheToken() throws {
        let errors: [AuthError] = [
            .malformed, .unsupportedAlgorithm, .unknownKey, .badSignature, .expired, .notYetValid,
            .wrongIssuer, .wrongAudience, .missingClaim("varde_role"), .invalidClaim("a\"b\\c"),
        ]
        for error in errors {
            #expect(!error.description.isEmpty)
            #expect(error.wwwAuthenticate.hasPrefix("Bearer error=\"invalid_token\", error_description=\""))
            #expect(!error.description.contains("\"") && !error.description.contains("\\"))
        }
        #expect(AuthError.invalidClaim("a\"b\\c").description.contains("abc"))
    }
}
