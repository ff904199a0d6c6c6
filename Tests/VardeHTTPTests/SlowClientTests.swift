import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VardeHTTP
import VardeTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 15: slow clients (slowloris, a body trickled a byte a second) are
/// cut off, and oversized headers refused, on a real listening socket.
@Suite("HTTP: slow and oversized clients")
struct SlowClientTests {
    /// A raw TCP connection to the server, for bytes no HTTP client would send.
    final class RawConnection {
        let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw SeedError("connect failed: \(errno)") }
        }

        deinit { close(fd) }

        /// Sends bytes; false once the server has closed the connection.
        @discardableResult
        func send(_ text: String) -> Bool {
            text.utf8CString.withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) } >= 0
        }

        /// What the server sent until it closed the connection or `timeout` passed; `closed` tells which.
        func read(for timeout: Duration) async -> (text: String, closed: Bool) {
            var received: [UInt8] = []
            let end = ContinuousClock.now + timeout
            while ContinuousClock.now < end {
                var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&descriptor, 1, 0) > 0 {
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    let n = recv(fd, &buffer, buffer.count, 0)
                    if n <= 0 { return (String(decoding: received, as: UTF8.self), true) }
                    received += buffer.prefix(n)
                } else {
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            return (String(decoding: received, as: UTF8.self), false)
        }
    }

    static func live(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        var configuration = TestApp.configuration
        configuration.requestReadTimeout = 1
        configuration.idleTimeout = 1
        try await TestDatabase.with(maxConnections: 4) { database, _ in
            let app = try await buildApplication(configuration, logger: TestDatabase.logger, database: database)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                try await body(port)
            }
        }
    }

    @Test("a body trickled a byte at a time is cut off by the request deadline")
    func trickledBody() async throws {
        try await Self.live { port in
            let connection = try RawConnection(port: port)
            connection.send("POST /v1/readings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
            var cut = false
            for _ in 0..<20 where !cut {
                connection.send("{")
                cut = await connection.read(for: .milliseconds(300)).closed
            }
            #expect(cut, "the server still reads a body trickled for 6 s with a 1 s deadline")
        }
    }

    @Test("a head trickled a byte at a time is cut off by the idle timeout")
    func trickledHead() async throws {
        try await Self.live { port in
            let connection = try RawConnection(port: port)
            var cut = false
            for byte in "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaa".map(String.init) where !cut {
                connection.send(byte)
                cut = await connection.read(for: .milliseconds(300)).closed
            }
            #expect(cut, "the server waits for a head trickled for many seconds")
        }
    }

    @Test("an oversized header is refused with 400 and the connection closed; a normal request on another connection is served")
    func oversizedHeader() async throws {
        try await Self.live { port in
            let connection = try RawConnection(port: port)
            connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 40_000))\r\n\r\n")
            let (text, closed) = await connection.read(for: .seconds(3))
            #expect(text.hasPrefix("HTTP/1.1 400"), "\(text.prefix(80))")
            #expect(closed)
            let fine = try RawConnection(port: port)
            fine.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(await fine.read(for: .seconds(3)).text.hasPrefix("HTTP/1.1 200"))
        }
    }
}
