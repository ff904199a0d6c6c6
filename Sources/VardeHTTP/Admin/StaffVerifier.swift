import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import VardeAuth

/// The staff-token check in use, and, with OpenID Connect discovery, the
/// provider whose rotating keys it follows: a token signed with a key not
/// seen before makes it read the provider's keys anew (rate-limited by the
/// provider), then check once more.
public final class StaffVerifier: Sendable {
    private let current: NIOLockedValueBox<JWTVerifier>
    public let provider: OIDCProvider?

    public init(_ verifier: JWTVerifier, provider: OIDCProvider? = nil) {
        self.current = NIOLockedValueBox(verifier)
        self.provider = provider
    }

    public var verifier: JWTVerifier { current.withLockedValue { $0 } }

    public func verify(_ token: String, now: Date) async throws(AuthError) -> StaffIdentity {
        do {
            return try verifier.verify(token, now: now)
        } catch .unknownKey {
            guard let provider, await provider.refreshForUnknownKey(), let jwks = provider.jwks else { throw .unknownKey }
            use(jwks)
            return try verifier.verify(token, now: now)
        }
    }

    /// Checks tokens against `jwks` from now on (the provider's current set).
    func use(_ jwks: JWKS) {
        current.withLockedValue { $0 = $0.with(jwks: jwks) }
    }
}

/// Reads the provider's discovery document and keys every `interval` (and
/// after a failure every `retry`), so a rotation is picked up before the
/// first token signed with the new key arrives. A failure is logged and the
/// last good keys stay in use.
struct OIDCRefresher: Service {
    let provider: OIDCProvider
    let verifier: StaffVerifier
    let interval: Duration
    let retry: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var wait = provider.jwks == nil ? Duration.zero : interval
            while !Task.isCancelled {
                try? await Task.sleep(for: wait)
                guard !Task.isCancelled else { return }
                do {
                    verifier.use(try await provider.refresh())
                    wait = interval
                } catch {
                    logger.error(
                        "the identity provider's keys could not be refreshed; the last good keys stay in use",
                        metadata: ["issuer": "\(provider.issuer)", "error": "\(error)"])
                    wait = retry
                }
            }
        }
    }
}
