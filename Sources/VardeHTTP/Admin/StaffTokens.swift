import Foundation
import Logging
import VardeAuth

/// Which staff tokens the server trusts: the configured identity provider
/// (JWKS file, issuer, audience) or, without one, the development key
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

    public static func verifier(_ configuration: Configuration, logger: Logger) throws -> JWTVerifier? {
        let names = JWTVerifier.ClaimNames(role: configuration.roleClaim, teams: configuration.teamsClaim)
        if let file = configuration.jwksFile {
            guard let issuer = configuration.jwtIssuer, let audience = configuration.jwtAudience else {
                throw ConfigurationError("a JWKS file needs --jwt-issuer and --jwt-audience")
            }
            let jwks = try JWKS(json: try Data(contentsOf: URL(fileURLWithPath: file)))
            if configuration.devAuth { logger.critical("--dev-auth is ignored because an identity provider is configured") }
            return JWTVerifier(jwks: jwks, issuer: issuer, audience: audience, claimNames: names)
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
            return JWTVerifier(jwks: key.jwks, issuer: DevelopmentKey.issuer, audience: DevelopmentKey.audience, claimNames: names)
        }
        logger.warning("no identity provider configured: only gateway API keys will authenticate")
        return nil
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
