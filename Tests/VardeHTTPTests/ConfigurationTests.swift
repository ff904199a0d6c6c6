import Foundation
import Testing
import VardeHTTP

/// Issue 16: configuration that refuses nonsense, naming where it came from,
/// and shows what is in effect without its secrets.
@Suite("Operations: configuration")
struct ConfigurationTests {
    static func error(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test(
        "a malformed value stops the start, naming its variable or flag",
        arguments: [
            (["VARDE_PORT": "80a"], [String: String](), "VARDE_PORT"), (["VARDE_DB_POOL_SIZE": "0"], [:], "VARDE_DB_POOL_SIZE"),
            (["VARDE_DEV_AUTH": "maybe"], [:], "VARDE_DEV_AUTH"), (["VARDE_STATEMENT_TIMEOUT": "nan"], [:], "VARDE_STATEMENT_TIMEOUT"),
            (["VARDE_OIDC_ISSUER": "helseid"], [:], "VARDE_OIDC_ISSUER"), ([:], ["--port": "70000"], "--port"),
            ([:], ["--metrics-port": "-1"], "--metrics-port"), (["VARDE_DRAIN_DELAY": "20"], [:], "--drain-delay"),
            (["VARDE_HOST": ""], [:], "VARDE_HOST"),
        ])
    func refused(_ environment: [String: String], _ flags: [String: String], _ named: String) {
        let message = Self.error { _ = try Configuration.resolve(flags: flags, environment: environment) }
        #expect(message.contains(named), "\(message)")
    }

    @Test("a flag wins over its variable, which wins over the default; switches and their variables")
    func precedence() throws {
        let c = try Configuration.resolve(
            flags: ["--port": "9000"], switches: ["--dev-auth"],
            environment: ["VARDE_PORT": "8000", "VARDE_METRICS_PORT": "9100", "VARDE_TRUST_FORWARDED_FOR": "yes"])
        #expect(c.port == 9000 && c.metricsPort == 9100 && c.devAuth && c.trustForwardedFor && c.drainTimeout == 10)
    }

    @Test("command-line settings: --flag value, --flag=value, switches; an unknown flag or a missing value is refused")
    func parse() throws {
        let (flags, switches) = try Configuration.parse([
            "--metrics-port", "9090", "--dev-auth", "--host=0.0.0.0", "--trust-forwarded-for=1",
        ])
        #expect(flags == ["--metrics-port": "9090", "--host": "0.0.0.0", "--trust-forwarded-for": "1"] && switches == ["--dev-auth"])
        #expect(Self.error { _ = try Configuration.parse(["--nope", "1"]) }.contains("unknown option --nope"))
        #expect(Self.error { _ = try Configuration.parse(["--port"]) }.contains("--port needs a value"))
    }

    @Test("--print-config shows every setting and its source, with the database password redacted")
    func printed() throws {
        for url in ["postgresql://varde_runtime:s3cret@db.kommune.no/varde", "host=db user=varde_runtime password=s3cret dbname=varde"] {
            let environment = ["DATABASE_URL": url, "VARDE_METRICS_PORT": "9090"]
            let c = try Configuration.resolve(environment: environment)
            let text = c.describe(flags: [:], switches: [], environment: environment)
            #expect(!text.contains("s3cret") && text.contains("****"), "\(text)")
            #expect(text.contains("--metrics-port") && text.contains("9090   (VARDE_METRICS_PORT)"))
            #expect(text.contains("--port") && text.contains("(default)"))
            #expect(text.split(separator: "\n").count == Configuration.settings.count)
        }
    }
}

/// The same refusals from the binary itself, as an operator meets them.
@Suite("Operations: varde serve refuses nonsense")
struct ServeCommandTests {
    /// `varde` beside the test bundle (both are built into the same folder).
    static var varde: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "varde")
    }

    static func run(_ arguments: [String], environment: [String: String]) throws -> (Int32, String) {
        try OpenAPITests.run(varde, arguments, environment: environment)
    }

    @Test(
        "VARDE_PORT=80a, LOG_LEVEL=verbose, an unknown --log-format or option: the start stops with a message naming it",
        arguments: [
            ([String](), ["VARDE_PORT": "80a"], "VARDE_PORT"), ([], ["LOG_LEVEL": "verbose"], "LOG_LEVEL"),
            (["--log-format", "xml"], [:], "--log-format"), (["--colour", "blue"], [:], "--colour"),
        ])
    func refused(_ arguments: [String], _ environment: [String: String], _ named: String) throws {
        let (status, output) = try Self.run(["serve", "--print-config"] + arguments, environment: environment)
        #expect(status != 0 && output.contains(named), "\(status) \(output)")
    }

    @Test("--print-config prints the configuration in effect, secrets redacted, and exits 0")
    func printConfig() throws {
        let (status, output) = try Self.run(
            ["serve", "--print-config", "--port", "8181"], environment: ["DATABASE_URL": "postgresql://u:s3cret@h/db", "LOG_LEVEL": "info"])
        #expect(status == 0 && output.contains("8181   (--port)") && !output.contains("s3cret"), "\(output)")
    }
}
