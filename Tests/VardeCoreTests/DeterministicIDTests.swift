import Foundation
import Testing

@testable import VardeCore

@Suite struct DeterministicIDTests {
    static let sha1Vectors: [(String, String)] = [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
        (String(repeating: "a", count: 1_000_000), "34aa973cd4c4daa4f61eeb2bdbad27316534016f"),
    ]

    @Test(arguments: sha1Vectors)
    func sha1MatchesKnownVectors(input: String, hex: String) {
        let digest = SHA1.digest(Array(input.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(digest == hex)
    }

    @Test func sha1HandlesPaddingEdgeLengths() {
        // 55, 56 and 64 bytes straddle the one-block/two-block padding boundary.
        #expect(SHA1.digest(Array(repeating: 0x61, count: 55)).count == 20)
        #expect(SHA1.digest(Array(repeating: 0x61, count: 56)) != SHA1.digest(Array(repeating: 0x61, count: 55)))
        let hex = SHA1.digest(Array(repeating: 0x61, count: 64)).map { String(format: "%02x", $0) }.joined()
        #expect(hex == "0098ba824b5c16427bd7a1122a5a442a25ec644d")
    }

    @Test func uuid5MatchesRFCExample() {
        #expect(
            DeterministicID.uuid5(namespace: DeterministicID.dnsNamespace, name: "python.org")
                == UUID(uuidString: "886313e1-3b8a-5372-9b90-0c9aee199e5d"))
        #expect(
            DeterministicID.uuid5(namespace: DeterministicID.dnsNamespace, name: "www.example.com")
                == UUID(uuidString: "2ed6657d-e927-568b-95e1-2665a8aea6a2"))
    }

    @Test func readingIDsAreStableAndScopedByGateway() {
        let a = DeterministicID.readingEventID(gateway: Fx.gateway, gatewayReadingID: "r-1")
        #expect(a == DeterministicID.readingEventID(gateway: Fx.gateway, gatewayReadingID: "r-1"))
        #expect(a != DeterministicID.readingEventID(gateway: Fx.sykehus, gatewayReadingID: "r-1"))
        #expect(a != DeterministicID.readingEventID(gateway: nil, gatewayReadingID: "r-1"))
        #expect(a.uuidString.lowercased().dropFirst(14).first == "5")
    }

    @Test func alertIDsDifferPerRuleAndReading() {
        let r = Fx.readingID("r-1")
        #expect(
            DeterministicID.alertID(readingEventID: r, rule: .systolicHigh) != DeterministicID.alertID(readingEventID: r, rule: .pulseHigh))
        #expect(DeterministicID.alertID(readingEventID: r, rule: .spo2Low) == DeterministicID.uuid5(namespace: r, name: "spo2.low"))
    }
}
