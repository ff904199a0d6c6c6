import Crypto
import Foundation
import Testing
import VardeAuth
import VardeCore

@Suite struct DevelopmentKeyTests {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("varde-auth-tests-\(UUID().uuidString)").path
    let team = UUID()
    let now = TestKeys.now

    func permissions(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func createsKeyFileWithOwnerOnlyMode() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/data/nested/dev-key.pem"
        _ = try DevelopmentKey.loadOrCreate(at: path)
        #expect(try permissions(path) == 0o600)
        let pem = try String(contentsOfFile: path, encoding: .utf8)
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory + "/data/nested")
        #expect(leftovers == ["dev-key.pem"])
    }

    @Test func reloadGivesTheSameKey() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/dev-key.pem"
        let created = try DevelopmentKey.loadOrCreate(at: path)
        let token = created.sign(subject: "nurse-7", role: .nurse, teams: [team], ttl: 3600, now: now)
        let reloaded = try DevelopmentKey.loadOrCreate(at: path)
        #expect(reloaded.jwksJSON == created.jwksJSON)
        let identity = try reloaded.verifier().verify(token, now: now.addingTimeInterval(1800))
        #expect(identity.subject == "nurse-7")
        #expect(identity.role == .nurse)
        #expect(identity.teams == [team])
        #expect(identity.issuer == DevelopmentKey.issuer)
        #expect(identity.expiresAt == now.addingTimeInterval(3600))
        #expect(identity.tokenID != nil)
    }

    @Test func tokensAreES256WithDevelopmentKid() throws {
        let key = DevelopmentKey(privateKey: P256.Signing.PrivateKey())
        let token = key.sign(subject: "admin-1", role: .admin, teams: [], ttl: 600, now: now)
        let headerText = String(token.split(separator: ".")[0])
        let header = try #require(Data(base64URLEncoded: headerText))
        let object = try #require(try JSONSerialization.jsonObject(with: header) as? [String: String])
        #expect(object["alg"] == "ES256")
        #expect(object["kid"] == "varde-dev")
        let payload = String(token.split(separator: ".")[1])
        let claims = try #require(Data(base64URLEncoded: payload))
        #expect(String(decoding: claims, as: UTF8.self).contains("\"exp\":\(Int(now.timeIntervalSince1970) + 600),"))
        #expect(try key.verifier().verify(token, now: now).teams.isEmpty)
        #expect(throws: AuthError.expired) { try key.verifier().verify(token, now: now.addingTimeInterval(661)) }
    }

    @Test func jwksJSONIsTrustedByAnIndependentVerifier() throws {
        let key = DevelopmentKey(privateKey: P256.Signing.PrivateKey())
        let jwks = try JWKS(json: key.jwksJSON)
        let verifier = JWTVerifier(jwks: jwks, issuer: "varde-dev", audience: "varde")
        let token = key.sign(subject: "c-1", role: .clinician, teams: [team], ttl: 60, now: now)
        #expect(try verifier.verify(token, now: now).role == .clinician)
        let foreign = key.sign(subject: "c-1", role: .clinician, teams: [team], ttl: 60, now: now, audience: "other")
        #expect(throws: AuthError.wrongAudience) { try verifier.verify(foreign, now: now) }
        let otherKey = DevelopmentKey(privateKey: P256.Signing.PrivateKey())
        let forged = otherKey.sign(subject: "c-1", role: .clinician, teams: [team], ttl: 60, now: now)
        #expect(throws: AuthError.badSignature) { try verifier.verify(forged, now: now) }
    }

    @Test func looseFileModeIsNarrowedOnLoad() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/dev-key.pem"
        _ = try DevelopmentKey.loadOrCreate(at: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        _ = try DevelopmentKey.loadOrCreate(at: path)
        #expect(try permissions(path) == 0o600)
    }

    @Test func garbageFileIsAnErrorNotReplaced() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/dev-key.pem"
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: DevelopmentKey.FileError.invalidKey(path)) { try DevelopmentKey.loadOrCreate(at: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "not a key")
    }
}
