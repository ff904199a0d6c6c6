import Crypto
import Foundation
import Testing
import VardeAuth
import _CryptoExtras

@Suite struct JWKSTests {
    @Test func unusableKeysAreSkippedNotFatal() throws {
        let weak = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        let p384 = P384.Signing.PrivateKey().publicKey.rawRepresentation
        let document = TestKeys.jwksJSON([
            ["kty": "oct", "k": "c2VjcmV0", "kid": "hmac"],
            ["kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"],
            ["kty": "EC", "crv": "P-384", "x": b64url(p384.prefix(48)), "y": b64url(p384.suffix(48))],
            TestKeys.rsaJWK(TestKeys.otherRSA.publicKey, kid: "ps", alg: "PS256"),
            TestKeys.rsaJWK(weak.publicKey, kid: "weak"),
            ["kty": "RSA", "kid": "broken", "n": "not base64!", "e": "AQAB"],
            TestKeys.rsaJWK(TestKeys.rsa.publicKey, kid: "enc").merging(["use": "enc"]) { $1 },
            TestKeys.rsaJWK(TestKeys.rsa.publicKey, kid: TestKeys.rsaKeyID, alg: nil),
            TestKeys.ecJWK(TestKeys.ec.publicKey, kid: nil),
        ])
        let jwks = try JWKS(json: document)
        #expect(jwks.keys.map(\.keyID) == [TestKeys.rsaKeyID, nil])
        #expect(jwks.keys.map(\.keyType) == ["RSA", "EC"])
        #expect(jwks.skippedCount == 7)
        let verifier = JWTVerifier(jwks: jwks, issuer: TestKeys.issuer, audience: TestKeys.audience)
        _ = try verifier.verify(TestSigner.token(), now: TestKeys.now)
        _ = try verifier.verify(TestSigner.token(key: .ec(TestKeys.ec), kid: ""), now: TestKeys.now)
    }

    @Test func weakRSAKeyIsNeverTrusted() throws {
        let weak = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        #expect(throws: JWKS.ParseError.noUsableKeys) {
            try JWKS(json: TestKeys.jwksJSON([TestKeys.rsaJWK(weak.publicKey, kid: "weak")]))
        }
    }

    @Test(arguments: ["", "[]", "{}", #"{"keys":{}}"#, "not json"])
    func invalidDocumentsAreRefused(text: String) {
        #expect(throws: JWKS.ParseError.invalidDocument) { try JWKS(json: Data(text.utf8)) }
    }

    @Test func emptySetHasNoUsableKeys() {
        #expect(throws: JWKS.ParseError.noUsableKeys) { try JWKS(json: Data(#"{"keys":[]}"#.utf8)) }
    }

    @Test func paddedParametersAreAccepted() throws {
        var jwk = TestKeys.rsaJWK(TestKeys.rsa.publicKey, kid: "padded")
        jwk["e"] = "AQAB="  // stray padding, as some providers emit
        #expect(try JWKS(json: TestKeys.jwksJSON([jwk])).keys.count == 1)
    }

    @Test func jsonDataRoundTrips() throws {
        let original = TestKeys.jwks
        let reparsed = try JWKS(json: original.jsonData())
        #expect(reparsed.keys.map(\.keyID) == [TestKeys.rsaKeyID, TestKeys.ecKeyID])
        let verifier = JWTVerifier(jwks: reparsed, issuer: TestKeys.issuer, audience: TestKeys.audience)
        _ = try verifier.verify(TestSigner.token(), now: TestKeys.now)
        _ = try verifier.verify(TestSigner.token(key: .ec(TestKeys.ec)), now: TestKeys.now)
    }

    @Test func mergingKeepsBothSets() throws {
        let dev = DevelopmentKey(privateKey: P256.Signing.PrivateKey())
        let merged = TestKeys.jwks.merging(dev.jwks)
        #expect(merged.keys.map(\.keyID) == [TestKeys.rsaKeyID, TestKeys.ecKeyID, DevelopmentKey.keyID])
    }
}
