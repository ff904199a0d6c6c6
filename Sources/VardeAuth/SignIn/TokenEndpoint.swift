import AsyncHTTPClient
import Foundation
import NIOCore

/// The authorization code flow's two steps at the provider: the URL the
/// browser is sent to (`authorize`), and the code exchange at the token
/// endpoint (`exchange`), authenticated with `private_key_jwt` and bound to
/// the sign-in by the PKCE verifier (RFC 7636).
public struct TokenEndpoint: Sendable {
    public struct Tokens: Sendable {
        public var accessToken: String
        public var idToken: String
    }

    public enum Failure: Error, CustomStringConvertible {
        /// The provider refused (RFC 6749 §5.2): a spent or expired code, a wrong verifier, client authentication.
        case refused(status: Int, error: String)
        case unreachable(String)
        case badResponse(String)

        public var description: String {
            switch self {
            case .refused(let status, let error): "the provider refused the code (\(status) \(error))"
            case .unreachable(let why): "the provider could not be reached: \(why)"
            case .badResponse(let why): "the provider's answer is not usable: \(why)"
            }
        }
    }

    public let url: String
    public let clientID: String
    public let key: ClientKey

    public init(url: String, clientID: String, key: ClientKey) {
        self.url = url
        self.clientID = clientID
        self.key = key
    }

    /// The authorization request (code flow, PKCE S256, `state` and `nonce`).
    public static func authorizationURL(
        endpoint: String, clientID: String, redirectURI: String, scope: String, state: String, nonce: String, verifier: String
    ) -> String? {
        guard var url = URLComponents(string: endpoint) else { return nil }
        url.queryItems =
            (url.queryItems ?? []) + [
                URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: clientID),
                URLQueryItem(name: "redirect_uri", value: redirectURI), URLQueryItem(name: "scope", value: scope),
                URLQueryItem(name: "state", value: state), URLQueryItem(name: "nonce", value: nonce),
                URLQueryItem(name: "code_challenge", value: PKCE.challenge(for: verifier)),
                URLQueryItem(name: "code_challenge_method", value: "S256"),
            ]
        // URLComponents leaves `+` and `/` in query values as they are; a form decoder reads `+` as a space.
        url.percentEncodedQuery = url.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return url.string
    }

    /// Exchanges `code` for tokens. The client assertion's audience is the token endpoint.
    public func exchange(code: String, verifier: String, redirectURI: String, http: HTTPClient) async throws(Failure) -> Tokens {
        let assertion: String
        do {
            assertion = try key.assertion(clientID: clientID, audience: url)
        } catch {
            throw .badResponse("the client assertion could not be signed")
        }
        let form = Self.form([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier),
            ("client_id", clientID), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", assertion),
        ])
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: form))
        let status: Int
        let body: Data
        do {
            let response = try await http.execute(request, timeout: .seconds(10))
            status = Int(response.status.code)
            body = Data((try await response.body.collect(upTo: 256 * 1024)).readableBytesView)
        } catch {
            throw .unreachable("\(error)")
        }
        let object = JSONValue.object(from: body)
        guard status == 200 else {
            let error = object?["error"]?.string.map { String($0.prefix(64).filter { $0.isLetter || $0 == "_" }) } ?? "unknown"
            throw .refused(status: status, error: error)
        }
        guard let object, let access = object["access_token"]?.string, let id = object["id_token"]?.string else {
            throw .badResponse("no access_token and id_token")
        }
        return Tokens(accessToken: access, idToken: id)
    }

    /// `application/x-www-form-urlencoded` (unreserved characters kept, everything else percent-encoded).
    static func form(_ fields: [(String, String)]) -> String {
        // ASCII only: `CharacterSet.alphanumerics` would let letters such as ø through unencoded.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return fields.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}
