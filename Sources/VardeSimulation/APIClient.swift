import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The simulation's HTTP client: real requests over loopback (or to a live
/// server), each timed into `latencies` under a kind.
final class APIClient: Sendable {
    let base: String
    let http: HTTPClient
    let latencies: Latencies

    init(base: String, connections: Int, latencies: Latencies) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(90))
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.latencies = latencies
    }

    func shutdown() async { try? await http.shutdown() }

    struct Reply: Sendable {
        var status: UInt
        var headers: HTTPHeaders
        var body: ByteBuffer
        var text: String { String(buffer: body) }
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(buffer: body)) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    func send(
        _ method: HTTPMethod, _ path: String, token: String?, json: Any? = nil, raw: String? = nil,
        contentType: String = "application/json", kind: String
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let body: String? = try raw ?? json.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        let started = ContinuousClock.now
        // Refused for load (503) or too many polls (429): wait as told and go again.
        var attempt = 0
        while true {
            let response = try await http.execute(request, timeout: .seconds(90))
            let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
            let status = response.status.code
            if status == 503 || status == 429, attempt < 20 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(200 * attempt))
                continue
            }
            latencies.record(kind, ContinuousClock.now - started)
            return Reply(status: status, headers: response.headers, body: bytes)
        }
    }
}

struct SimulationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
