import Foundation
import Testing

@testable import VardeCore

/// The one base64url (RFC 4648 §5) of JWS, JWK, gateway keys and the API's cursors.
@Suite struct Base64URLTests {
    /// RFC 4648 §10's vectors, unpadded.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ]

    @Test func rfcVectors() {
        for (plain, text) in Self.vectors {
            #expect(Data(plain.utf8).base64URLEncodedString() == text)
            #expect(Data(base64URLEncoded: text) == Data(plain.utf8))
        }
    }

    @Test func urlAlphabet() {
        let bytes = Data([0xfb, 0xff, 0xbf])
        #expect(bytes.base64URLEncodedString() == "-_-_")
        #expect(Data(base64URLEncoded: "-_-_") == bytes)
        #expect(Data(base64URLEncoded: "+/+/") == nil)
    }

    @Test func paddingOnlyWhenAllowed() {
        #expect(Data(base64URLEncoded: "Zg==") == nil)
        #expect(Data(base64URLEncoded: "Zg==", allowPadding: true) == Data("f".utf8))
        #expect(Data(base64URLEncoded: "Zm8=", allowPadding: true) == Data("fo".utf8))
        #expect(Data(base64URLEncoded: "Zm9v", allowPadding: true) == Data("foo".utf8))
    }

    @Test func malformedIsRefused() {
        for text in ["Z", "Zm9vY", "Zm 9v", "Zm9v\n", "Zg=", "Z=g", "é"] {
            #expect(Data(base64URLEncoded: text) == nil, "\(text)")
        }
    }
}
