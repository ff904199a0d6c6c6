import AsyncHTTPClient
import Foundation
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import VardeCore

/// An OpenID Connect provider found by discovery (`<issuer>/.well-known/
/// openid-configuration`), with its signing keys (`jwks_uri`) kept in memory.
///
/// `refresh()` reads both anew; a failure keeps the last good keys (the
/// provider being unreachable for a while must not sign everyone out).
/// `refreshForUnknownKey()` is what a token signed with a key not yet seen
/// asks for (the provider rotated): at most once per `minimumInterval`, so a
/// flood of made-up key ids cannot make the server hammer the provider.
public final class OIDCProvider: Sendable {
    /// What the discovery document says (the parts Varde uses).
    public struct Metadata: Sendable, Equatable {
        public var issuer: String
        public var jwksURI: String
        public var authorizationEndpoint: String?
        public var tokenEndpoint: String?
        public var endSessionEndpoint: String?
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case notHTTPS(String)
        case unreachable(String)
        case badDocument(String)

        public var description: String {
            switch self {
            case .notHTTPS(let url): "the issuer must be an https URL (http only on a loopback address): \(url)"
            case .unreachable(let why): "the identity provider could not be reached: \(why)"
            case .badDocument(let why): "the identity provider's answer is not usable: \(why)"
            }
        }
    }

    private struct State {
        var metadata: Metadata?
        var jwks: JWKS?
        /// When a token with an unknown key id last made it read the keys.
        var lastUnknownKeyRefresh: ContinuousClock.Instant?
        var refreshes = 0
        var failures = 0
    }

    public let issuer: String
    public let minimumInterval: Duration
    private let http: HTTPClient
    private let state = NIOLockedValueBox(State())
    /// One refresh at a time; callers that arrive meanwhile wait for it.
    private let running = NIOLockedValueBox<Task<Bool, Never>?>(nil)

    /// - Parameter issuer: https, or http on a loopback address (tests and
    ///   a provider on the same host); no trailing slash needed.
    public init(issuer: String, http: HTTPClient, minimumInterval: Duration = .seconds(30)) throws(Failure) {
        guard let url = URL(string: issuer), let scheme = url.scheme?.lowercased(), let host = url.host else {
            throw .notHTTPS(issuer)
        }
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
        guard scheme == "https" || (scheme == "http" && loopback) else { throw .notHTTPS(issuer) }
        self.issuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        self.http = http
        self.minimumInterval = minimumInterval
    }

    public var metadata: Metadata? { state.withLockedValue { $0.metadata } }
    public var jwks: JWKS? { state.withLockedValue { $0.jwks } }
    /// Successful and failed refreshes so far (for metrics).
    public var counts: (refreshes: Int, failures: Int) { state.withLockedValue { ($0.refreshes, $0.failures) } }

    /// Reads the discovery document and the key set. On failure the last good
    /// ones stay in use and the error is thrown.
    @discardableResult
    public func refresh() async throws(Failure) -> JWKS {
        do {
            let document = try await fetch(issuer + "/.well-known/openid-configuration")
            let metadata = try Self.metadata(document, expectedIssuer: issuer)
            let jwks: JWKS
            do {
                jwks = try JWKS(json: try await fetch(metadata.jwksURI))
            } catch let error as JWKS.ParseError {
                throw Failure.badDocument("jwks_uri: \(error)")
            }
            state.withLockedValue {
                $0.metadata = metadata
                $0.jwks = jwks
                $0.refreshes += 1
            }
            Counter(label: "varde_oidc_key_refreshes_total", dimensions: [("outcome", "ok")]).increment()
            return jwks
        } catch {
            state.withLockedValue { $0.failures += 1 }
            Counter(label: "varde_oidc_key_refreshes_total", dimensions: [("outcome", "failed")]).increment()
            throw (error as? Failure) ?? .unreachable("\(error)")
        }
    }

    /// A token named a key id the set does not hold: refresh, unless another
    /// such token made it refresh within `minimumInterval` (scheduled
    /// refreshes do not count: a rotation just after one is still picked up).
    /// Returns whether the keys were read anew; concurrent callers share one refresh.
    public func refreshForUnknownKey() async -> Bool {
        let task = running.withLockedValue { current -> Task<Bool, Never>? in
            if let current { return current }
            let recent = state.withLockedValue { s -> Bool in
                if let last = s.lastUnknownKeyRefresh, ContinuousClock.now - last < minimumInterval { return true }
                s.lastUnknownKeyRefresh = .now
                return false
            }
            guard !recent else { return nil }
            let task = Task { (try? await self.refresh()) != nil }
            current = task
            return task
        }
        guard let task else { return false }
        let refreshed = await task.value
        running.withLockedValue { $0 = nil }
        return refreshed
    }

    private func fetch(_ url: String) async throws -> Data {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await http.execute(request, timeout: .seconds(5))
        guard response.status == .ok else { throw Failure.unreachable("\(url) answered \(response.status.code)") }
        let body = try await response.body.collect(upTo: 1024 * 1024)
        return Data(body.readableBytesView)
    }

    /// The discovery document's fields, checked: its `issuer` must be exactly
    /// the one configured (OpenID Connect Discovery §4.3), and `jwks_uri`
    /// https unless the issuer itself is plain http on loopback.
    static func metadata(_ data: Data, expectedIssuer: String) throws(Failure) -> Metadata {
        guard let document = JSONValue.object(from: data) else { throw .badDocument("the discovery document is not a JSON object") }
        guard document["issuer"]?.string == expectedIssuer else {
            throw .badDocument("the discovery document names another issuer")
        }
        guard let jwksURI = document["jwks_uri"]?.string, let url = URL(string: jwksURI),
            url.scheme == "https" || (url.scheme == "http" && expectedIssuer.hasPrefix("http://"))
        else { throw .badDocument("jwks_uri is missing or not https") }
        return Metadata(
            issuer: expectedIssuer, jwksURI: jwksURI, authorizationEndpoint: document["authorization_endpoint"]?.string,
            tokenEndpoint: document["token_endpoint"]?.string, endSessionEndpoint: document["end_session_endpoint"]?.string)
    }
}
