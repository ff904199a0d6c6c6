import Crypto
import Foundation
import VardeCore

/// API keys for gateways: `vgk_<keyID>_<secret>`, where `keyID` is 8 random
/// bytes in lowercase hex (stored in clear, used to find the row) and `secret`
/// is 32 random bytes (256 bits) in unpadded base64url.
///
/// Only `hash` is stored: the lowercase hex SHA-256 of the whole token. A slow
/// password hash (bcrypt, Argon2) is not used on purpose: those exist to make
/// guessing low-entropy human passwords expensive, but a 256-bit random secret
/// cannot be guessed at any hash speed, and a slow hash on every gateway request
/// would only hand attackers a cheap way to burn server CPU.
public enum GatewayAPIKey {
    public static let prefix = "vgk_"
    static let keyIDBytes = 8
    static let secretBytes = 32
    /// Unpadded base64url length of `secretBytes` bytes.
    static let secretLength = 43

    /// A fresh key. Show `token` once to the operator; store `keyID` and `hash`.
    public static func generate() -> (token: String, keyID: String, hash: String) {
        let keyID = hex(randomBytes(keyIDBytes))
        let secret = Data(randomBytes(secretBytes)).base64URLEncodedString()
        let token = prefix + keyID + "_" + secret
        return (token, keyID, hash(token))
    }

    /// Splits a presented token into the key id to look up and the hash to
    /// compare, or `nil` if it does not have the exact `vgk_` shape.
    public static func parse(_ token: String) -> (keyID: String, hash: String)? {
        let bytes = Array(token.utf8)
        let idStart = prefix.utf8.count
        let idEnd = idStart + 2 * keyIDBytes
        guard bytes.count == idEnd + 1 + secretLength,
            bytes.starts(with: prefix.utf8),
            bytes[idStart..<idEnd].allSatisfy(isLowerHex),
            bytes[idEnd] == UInt8(ascii: "_"),
            bytes[(idEnd + 1)...].allSatisfy(isBase64URL)
        else { return nil }
        return (String(decoding: bytes[idStart..<idEnd], as: UTF8.self), hash(token))
    }

    /// Lowercase hex SHA-256 of the token's UTF-8 bytes.
    public static func hash(_ token: String) -> String {
        hex(SHA256.hash(data: Data(token.utf8)))
    }

    /// Whether `token` is the key whose stored hash is `storedHash`, compared in constant time.
    public static func matches(_ token: String, storedHash: String) -> Bool {
        constantTimeEquals(hash(token), storedHash)
    }

    /// Compares two strings' UTF-8 bytes in time that depends only on their lengths.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// Bytes from the system CSPRNG (`SystemRandomNumberGenerator`: getrandom/arc4random).
    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in generator.next() }
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
