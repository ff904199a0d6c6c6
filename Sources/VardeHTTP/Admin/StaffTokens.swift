import Foundation
import Logging
import VardeAuth

/// Which staff tokens the server trusts: the configured identity provider
/// (discovery, or a JWKS file with issuer and audience) or, without one, the development key
/// (`--dev-auth`). Never both: when a JWKS file is configured the identity
/// provider wins, `--dev-auth` is ignored and the log says so at `.critical`
/// (tested in `AuthenticationTests`).
public enum StaffTokens {
    /// Absolute, so the log and `varde token issue` name the same file
    /// whatever folder they run in.
    public static func developmentKeyPath(_ configuration: Configuration) -> String {
        URL(fileURLWithPath: configuration.dataDirectory).appending(path: "dev-signing-key.pem").standardizedFileURL.path
    }

    /// Whether `host` is a loopback address (or name): development sign-in
    /// listens only there, unless told otherwise twice.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// The staff-token check: OpenID Connect discovery (`--oidc-issuer`, keys
    /// read at start and kept fresh), a JWKS file (offline setups), or the
    /// development key. With discovery, a provider unreachable at start is
    /// logged and retried; staff tokens fail until its keys arrive.
    public static func verifier(_ configuration: Configuration, logger: Logger) async throws -> StaffVerifier? {
        let names = JWTVerifier.ClaimNames(role: configuration.roleClaim, teams: configuration.teamsClaim)
        let lifetime = configuration.maxTokenLifetime
        if let issuer = configuration.oidcIssuer {
            guard let audience = configuration.jwtAudience else {
                throw ConfigurationError("--oidc-issuer needs --jwt-audience (VARDE_JWT_AUDIENCE): the audience Varde's tokens are for")
            }
            let provider: OIDCProvider
            do {
                provider = try OIDCProvider(issuer: issuer, http: .shared)
            } catch {
                throw ConfigurationError("--oidc-issuer: \(error)")
            }
            if configuration.devAuth { logger.critical("--dev-auth is ignored because an identity provider is configured") }
            var jwks = JWKS(keys: [])
            do {
                jwks = try await provider.refresh()
                logger.info("identity provider keys read", metadata: ["issuer": "\(provider.issuer)", "keys": "\(jwks.keys.count)"])
            } catch {
                logger.error(
                    "the identity provider could not be read at start; staff tokens fail until it can",
                    metadata: ["issuer": "\(issuer)", "error": "\(error)"])
            }
            return StaffVerifier(
                JWTVerifier(jwks: jwks, issuer: provider.issuer, audience: audience, claimNames: names, maximumLifetime: lifetime),
                provider: provider)
        }
        if let file = configuration.jwksFile {
            guard let issuer = configuration.jwtIssuer, let audience = configuration.jwtAudience else {
                throw ConfigurationError("a JWKS file needs --jwt-issuer and --jwt-audience")
            }
            let jwks = try JWKS(json: try Data(contentsOf: URL(fileURLWithPath: file)))
            if configuration.devAuth { logger.critical("--dev-auth is ignored because an identity provider is configured") }
            return StaffVerifier(JWTVerifier(jwks: jwks, issuer: issuer, audience: audience, claimNames: names, maximumLifetime: lifetime))
        }
        if configuration.devAuth {
            guard isLoopback(configuration.host) || configuration.devAuthAllowRemote else {
                throw ConfigurationError(
                    "--dev-auth trusts tokens anyone with the development key can make: it listens on a loopback address only "
                        + "(--host 127.0.0.1), unless --dev-auth-allow-remote says otherwise as well")
            }
            let path = developmentKeyPath(configuration)
            let key = try DevelopmentKey.loadOrCreate(at: path)
            logger.critical(
                "DEVELOPMENT SIGN-IN IS ON: tokens from `varde token issue` are trusted. Never run like this with real patients.",
                metadata: ["key": "\(path)", "host": "\(configuration.host)"])
            return StaffVerifier(
                JWTVerifier(
                    jwks: key.jwks, issuer: DevelopmentKey.issuer, audience: DevelopmentKey.audience, claimNames: names,
                    maximumLifetime: lifetime))
        }
        logger.warning("no identity provider configured: only gateway API keys will authenticate")
        return nil
    }
}
