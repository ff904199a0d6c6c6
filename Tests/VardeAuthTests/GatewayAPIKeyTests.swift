import Crypto
import Foundation
import Testing
import VardeAuth
import VardeCore

@Suite struct GatewayAPIKeyTests {
    @Test func generatedTokenHasDocumentedFormat() throws {
        let key = GatewayAPIKey.generate()
        #expect(key.token.hasPrefix("vgk_" + key.keyID + "_"))
        #expect(key.keyID.count == 16)
        #expect(key.keyID.allSatisfy { "0123456789abcdef".contains($0) })
        let secret = String(key.token.dropFirst(4 + 16 + 1))
        #expect(secret.count == 43)
        let bytes = try #require(Data(base64URLEncoded: secret))
        #expect(bytes.count == 32)
    }

    @Test func hashIsLowercaseHexSHA256OfWholeToken() {
        let key = GatewayAPIKey.generate()
        let expected = SHA256.hash(data: Data(key.token.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(key.hash == expected)
        #expect(GatewayAPIKey.hash(key.token) == expected)
    }

    @Test func keysAreUnique() {
        let keys = (0..<200).map { _ in GatewayAPIKey.generate() }
        #expect(Set(keys.map(\.token)).count == keys.count)
        #expect(Set(keys.map(\.keyID)).count == keys.count)
        #expect(Set(keys.map(\.hash)).count == keys.count)
    }

    @Test func parseRoundTrips() throws {
        let key = GatewayAPIKey.generate()
        let parsed = try #require(GatewayAPIKey.parse(key.token))
        #expect(parsed.keyID == key.keyID)
        #expect(parsed.hash == key.hash)
        #expect(GatewayAPIKey.matches(key.token, storedHash: key.hash))
    }

    @Test func tamperedTokenHashDiffers() throws {
        let key = GatewayAPIKey.generate()
        var tampered = Array(key.token)
        tampered[tampered.count - 1] = tampered.last == "A" ? "B" : "A"
        let parsed = try #require(GatewayAPIKey.parse(String(tampered)))
        #expect(parsed.keyID == key.keyID)
        #expect(parsed.hash != key.hash)
        #expect(!GatewayAPIKey.matches(String(tampered), storedHash: key.hash))
    }

    @Test func parseRefusesOtherShapes() {
        let token = GatewayAPIKey.generate().token
        let body = String(token.dropFirst(4))
        let head = String(token.prefix(20)), tail = String(token.dropFirst(21))
        let allButLast = String(token.dropLast())
        let candidates: [String] = [
            "", "vgk_", allButLast, token + "A", "vgx_" + body, "vgk_" + body.uppercased(),
            "VGK_" + body, head + "-" + tail, allButLast + "=", allButLast + "/",
        ]
        for candidate in candidates where candidate != token {
            #expect(GatewayAPIKey.parse(candidate) == nil, "\(candidate.count) characters")
        }
    }

    @Test func constantTimeEquality() {
        #expect(GatewayAPIKey.constantTimeEquals("abc", "abc"))
        #expect(!GatewayAPIKey.constantTimeEquals("abc", "abd"))
        #expect(!GatewayAPIKey.constantTimeEquals("abc", "abcd"))
        #expect(GatewayAPIKey.constantTimeEquals("", ""))
    }
}
