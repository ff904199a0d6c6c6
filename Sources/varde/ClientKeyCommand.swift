import ArgumentParser
import Foundation
import VardeAuth

/// What to register at the identity provider for the web app's sign-in
/// (`private_key_jwt`): the public half of `--oidc-client-key` as a JWKS,
/// its `kid` the RFC 7638 thumbprint the client assertions name it by.
struct ClientKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client-key",
        abstract: "Print the public JWKS of the web app's client key (what the identity provider registers).")

    @Option(help: "PEM file of the private key (RSA 2048+ or P-256), as given to --oidc-client-key.")
    var key: String

    func run() throws {
        let loaded: ClientKey
        do {
            loaded = try ClientKey.load(path: key)
        } catch {
            throw ValidationError("\(error)")
        }
        print(String(decoding: loaded.publicJWKS, as: UTF8.self))
    }
}
