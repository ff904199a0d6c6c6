import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import VardeHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 16: Prometheus metrics on a listener of their own, with the names
/// an operator's dashboards and alerts use, and no label that names a
/// patient, person, team or device.
@Suite("Operations: metrics")
struct MetricsTests {
    /// A port nobody listens on: bound to 0, read back, released.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw SeedError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func scrape(_ port: Int) async throws -> String {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"), timeout: .seconds(10))
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"].first?.hasPrefix("text/plain; version=0.0.4") == true)
        return String(buffer: try await response.body.collect(upTo: 8 << 20))
    }

    @Test("a scrape on the metrics port names what an operator watches; no label carries an id")
    func scrape() async throws {
        let port = try Self.freePort()
        try await TestApp.run(configure: { $0.metricsPort = port }) { client in
            let w = try await World.make(client)
            let reading: [String: Any] = [
                "id": "m-1", "deviceSerial": "OX-1", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 84,
            ]
            #expect(
                try await client.request(.post, "/v1/readings", token: w.gatewayKey, json: ["readings": [reading, reading]]).status == .ok)
            _ = try await client.request(.get, "/v1/teams/\(w.kommune)/alerts?wait=0.1", token: w.nurse)
            _ = try await client.request(.get, "/v1/patients/\(w.patient)", token: "not.a.token")
            // Not on the API's listener.
            #expect(try await client.request(.get, "/metrics").status != .ok)
            var text = ""
            for _ in 0..<50 {
                text = try await Self.scrape(port)
                if text.contains("varde_projector_lag_events") && text.contains("varde_sweep_runs_total") { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            for name in [
                "varde_http_requests_total", "varde_http_request_duration_seconds_bucket", "varde_ingest_items_total",
                "varde_group_commit_batch_weight", "varde_append_seconds_bucket", "varde_projection_page_seconds_bucket",
                "varde_projected_events_total", "varde_projector_lag_events", "varde_projector_lag_seconds", "varde_projector_failing",
                "varde_db_pool_connections_in_use", "varde_db_pool_waiting", "varde_long_polls_waiting", "varde_http_connections_open",
                "varde_sweep_runs_total", "varde_auth_failures_total",
            ] {
                #expect(text.contains(name), "\(name) is missing")
            }
            #expect(text.contains(#"varde_ingest_items_total{outcome="created""#) && text.contains(#"outcome="duplicate""#))
            #expect(text.contains(#"http_route="/v1/patients/{patientId}""#), "requests are labelled by route template")
            // No label value names anyone or anything: no UUID, no 11-digit number, no serial.
            let labels = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line -> Substring? in
                guard let open = line.firstIndex(of: "{"), let close = line.firstIndex(of: "}") else { return nil }
                return line[open...close]
            }
            #expect(!labels.isEmpty)
            let uuid = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/
            for label in labels {
                #expect(label.firstMatch(of: uuid) == nil, "\(label)")
                #expect(label.firstMatch(of: /\d{11}/) == nil, "\(label)")
                #expect(!label.contains("OX-1"), "\(label)")
            }
        }
    }
}
