import AsyncHTTPClient
import Foundation
import NIOCore

/// The local OpenID Connect provider the tests start
/// (`Tests/Tools/oidc-provider/oidc_provider.py`, with the project venv's
/// Python): its issuer, and its admin API to mint tokens, rotate keys, go
/// down and count requests.
final class OIDCTestProvider: Sendable {
    let issuer: String
    private let process: Process

    private init(issuer: String, process: Process) {
        self.issuer = issuer
        self.process = process
    }

    /// The venv's Python (deploy/python-tools.sh), which has PyJWT and cryptography.
    static var python: URL {
        let environment = ProcessInfo.processInfo.environment
        var folders: [URL] = []
        if let data = environment["VARDE_DATA_DIR"] { folders.append(URL(fileURLWithPath: data).appending(path: "venv/bin")) }
        folders.append(OpenAPITests.repository.appending(path: ".varde/venv/bin"))
        return folders.map { $0.appending(path: "python") }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
            ?? URL(fileURLWithPath: "/usr/bin/python3")
    }

    /// Starts a provider on a free loopback port and waits for its `READY` line.
    static func start() throws -> OIDCTestProvider {
        let process = Process()
        process.executableURL = python
        process.arguments = [
            OpenAPITests.repository.appending(path: "Tests/Tools/oidc-provider/oidc_provider.py").path, "--port", "0", "--quiet",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw SeedError("the OIDC test provider ended before it was ready") }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).split(separator: "\n").first ?? ""
        guard text.hasPrefix("READY ") else { throw SeedError("the OIDC test provider said: \(text)") }
        return OIDCTestProvider(issuer: String(text.dropFirst(6)), process: process)
    }

    /// Kills the provider and reaps it. (Foundation's `waitUntilExit` spins
    /// a run loop off the main thread; `waitpid` just waits.)
    func stop() {
        let pid = process.processIdentifier
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    /// POSTs JSON to the admin API and returns the answer's object.
    @discardableResult
    func admin(_ path: String, _ body: [String: Any] = [:]) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: issuer + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let data = Data((try await response.body.collect(upTo: 1 << 20)).readableBytesView)
        guard response.status.code < 300 else {
            throw SeedError("provider \(path): \(response.status) \(String(decoding: data, as: UTF8.self))")
        }
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// Request counts per endpoint (`jwks`, `discovery`, …).
    func stats() async throws -> [String: Int] {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: issuer + "/admin/stats"), timeout: .seconds(10))
        let data = Data((try await response.body.collect(upTo: 1 << 20)).readableBytesView)
        let object = (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return object.compactMapValues { $0 as? Int }
    }

    /// An access token for `role` with the provider's defaults (audience `varde-api`).
    func token(
        role: String = "admin", teams: [UUID] = [], subject: String = "helseid-user", typ: Any = "at+jwt", ttl: Int? = nil,
        signWith: String = "current", alg: String? = nil
    ) async throws -> String {
        var body: [String: Any] = [
            "claims": ["sub": subject, "varde_role": role, "varde_teams": teams.map(\.uuidString)], "typ": typ, "sign_with": signWith,
        ]
        if let ttl { body["ttl"] = ttl }
        if let alg { body["alg"] = alg }
        return try await admin("/admin/token", body)["token"] as? String ?? ""
    }
}
