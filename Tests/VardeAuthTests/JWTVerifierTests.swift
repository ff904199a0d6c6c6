import Foundation
import Testing
import VardeAuth

@Suite struct JWTVerifierTests {
    let verifier = TestKeys.verifier()
    let now = TestKeys.now

    @Test func validRS256TokenGivesIdentity() throws {
        let identity = try verifier.verify(TestSigner.token(), now: now)
        #expect(
            identity
                == StaffIdentity(
                    subject: "nurse-1", role: .nurse, teams: [TestKeys.team],
                    expiresAt: now.addingTimeInterval(300), issuer: TestKeys.issuer, tokenID: "token-42"))
    }

    @Test func validES256TokenGivesIdentity() throws {
        let identity = try verifier.verify(TestSigner.token(key: .ec(TestKeys.ec)), now: now)
        #expect(identity.subject == "nurse-1")
        #expect(identity.role == .nurse)
    }

    @Test(arguments: ["RS256", "ES256"])
    func tokenWithoutKidTriesKeysOfItsType(alg: String) throws {
        let key: TestSigner.Key = alg == "RS256" ? .rsa(TestKeys.rsa) : .ec(TestKeys.ec)
        let identity = try verifier.verify(TestSigner.token(key: key, kid: ""), now: now)
        #expect(identity.teams == [TestKeys.team])
    }

    @Test func tamperedPayloadIsBadSignature() {
        let parts = TestSigner.token().split(separator: ".").map(String.init)
        let forged = TestSigner.segment(TestSigner.claims(["varde_role": "clinician"]))
        #expect(throws: AuthError.badSignature) {
            try verifier.verify([parts[0], forged, parts[2]].joined(separator: "."), now: now)
        }
    }

    @Test func otherKeyUnderKnownKidIsBadSignature() {
        let token = TestSigner.token(key: .rsa(TestKeys.otherRSA), kid: TestKeys.rsaKeyID)
        #expect(throws: AuthError.badSignature) { try verifier.verify(token, now: now) }
    }

    @Test func derEncodedES256SignatureIsRefused() throws {
        let token = TestSigner.token(key: .ec(TestKeys.ec))
        let input = token.split(separator: ".").prefix(2).joined(separator: ".")
        let der = try TestKeys.ec.signature(for: Data(input.utf8)).derRepresentation
        #expect(throws: AuthError.badSignature) { try verifier.verify(input + "." + b64url(der), now: now) }
    }

    @Test(arguments: ["none", "None", "HS256", "RS512", "PS256", "ES384", "EdDSA"])
    func otherAlgorithmsAreRefused(alg: String) {
        let token = TestSigner.token(key: .none, alg: alg, kid: TestKeys.rsaKeyID)
        #expect(throws: AuthError.unsupportedAlgorithm) { try verifier.verify(token, now: now) }
    }

    @Test func unsignedTokenWithAlgNoneIsRefused() {
        #expect(throws: AuthError.unsupportedAlgorithm) {
            try verifier.verify(TestSigner.token(key: .none), now: now)
        }
    }

    @Test func unknownKidIsUnknownKey() {
        let token = TestSigner.token(kid: "rotated-away")
        #expect(throws: AuthError.unknownKey) { try verifier.verify(token, now: now) }
    }

    @Test func kidOfKeyWithOtherTypeIsUnknownKey() {
        // An RS256 header naming the EC key must not be checked against it.
        let token = TestSigner.token(key: .rsa(TestKeys.rsa), kid: TestKeys.ecKeyID)
        #expect(throws: AuthError.unknownKey) { try verifier.verify(token, now: now) }
    }

    @Test func criticalHeaderExtensionsAreRefused() {
        let header = TestSigner.segment(["alg": "RS256", "kid": TestKeys.rsaKeyID, "crit": ["exp"], "exp": 1])
        let input = header + "." + TestSigner.segment(TestSigner.claims())
        let token = input + "." + b64url(TestSigner.sign(Data(input.utf8), key: .rsa(TestKeys.rsa)))
        #expect(throws: AuthError.unsupportedAlgorithm) { try verifier.verify(token, now: now) }
    }

    @Test(arguments: [
        "", "abc", "a.b", "a.b.c.d", "a.b.c.d.e", ".payload.sig", "x.y.z",
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0=.c2ln", "eyJhbGciOiJSUzI1NiJ9.e30.s+g/",
        "WyJSUzI1NiJd.e30.c2ln", "eyJhbGciOiJSUzI1NiJ9.WzFd.c2ln", "e30.e30.c2ln",
        "eyJhbGciOjI1Nn0.e30.c2ln",
    ])
    func malformedTokensAreRefused(token: String) {
        #expect(throws: AuthError.malformed) { try verifier.verify(token, now: now) }
    }

    @Test func oversizedTokenIsMalformed() {
        let token = TestSigner.token(TestSigner.claims(["padding": String(repeating: "x", count: 20_000)]))
        #expect(throws: AuthError.malformed) { try verifier.verify(token, now: now) }
    }
}

/// RFC 9068 / 8725: only bearer access tokens pass (`typ` at+jwt or JWT); a
/// configured maximum lifetime refuses tokens valid for longer.
@Suite("JWT: explicit typing and lifetime")
struct JWTTypingTests {
    @Test(arguments: [("at+jwt", true), ("application/at+jwt", true), ("JWT", true), ("jwt", true), ("id+jwt", false), ("", false)])
    func typ(_ type: String, accepted: Bool) throws {
        let token = TestSigner.token(TestSigner.claims([:]), header: ["typ": type])
        if accepted {
            #expect(try TestKeys.verifier(leeway: 60).verify(token, now: TestKeys.now).subject == "nurse-1")
        } else {
            #expect(throws: AuthError.wrongType) { try TestKeys.verifier(leeway: 60).verify(token, now: TestKeys.now) }
        }
    }

    @Test func missingTypIsRefused() {
        let token = TestSigner.token(TestSigner.claims([:]), header: ["typ": NSNull()])
        #expect(throws: AuthError.wrongType) { try TestKeys.verifier(leeway: 60).verify(token, now: TestKeys.now) }
    }

    @Test func maximumLifetime() throws {
        let now = TestKeys.now.timeIntervalSince1970
        let base = TestKeys.verifier(leeway: 60)
        let verifier = JWTVerifier(
            jwks: base.jwks, issuer: base.issuer, audience: base.audience, leeway: 60, claimNames: base.claimNames, maximumLifetime: 3600)
        let short = TestSigner.token(TestSigner.claims(["iat": now - 10, "exp": now + 3000]))
        #expect(try verifier.verify(short, now: TestKeys.now).role == .nurse)
        let long = TestSigner.token(TestSigner.claims(["iat": now - 10, "exp": now + 7200]))
        #expect(throws: AuthError.lifetimeTooLong) { try verifier.verify(long, now: TestKeys.now) }
        let noIat = TestSigner.token(TestSigner.claims(["iat": NSNull(), "exp": now + 60]))
        #expect(throws: AuthError.lifetimeTooLong) { try verifier.verify(noIat, now: TestKeys.now) }
    }
}
