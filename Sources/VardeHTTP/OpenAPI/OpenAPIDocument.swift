import Foundation
import Hummingbird

/// The OpenAPI 3.1 description of the whole API: `Resources/openapi.yaml`, a
/// resource of this target, read once when the application is built and served
/// byte for byte at `GET /openapi.yaml`. `OpenAPITests` loads it with Yams
/// (which refuses a key given twice), validates it with `openapi-spec-validator`,
/// checks that every registered route is in it (and nothing else) with the
/// operationId and `x-varde-roles` of its `Operation`, and that real responses
/// match its schemas.
public struct OpenAPIDocument: Sendable {
    /// The file as it is on disk, never re-encoded.
    public let bytes: ByteBuffer

    public init(bytes: ByteBuffer) {
        self.bytes = bytes
    }

    /// The document is not where the build put it: the server does not start
    /// without its description.
    public struct Missing: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String {
            "openapi.yaml cannot be read at \(path) (\(reason)): install the varde_VardeHTTP.resources folder beside the varde binary"
        }
    }

    /// Where the build put `openapi.yaml`, if anywhere.
    ///
    /// Deployment: SwiftPM copies a target's resources into a bundle folder beside
    /// the executable, `varde_VardeHTTP.resources/openapi.yaml` next to
    /// `.build/<configuration>/varde`. `Bundle.module` looks there first (beside
    /// the running binary), then in the absolute build folder it was compiled in,
    /// and stops the process with `fatalError` when neither folder exists. So a
    /// `varde` copied elsewhere (an image, a package) must take that folder with
    /// it; on the build machine the build folder would hide the omission, so test
    /// an install where the build folder is absent.
    public static var resourceURL: URL? {
        Bundle.module.url(forResource: "openapi", withExtension: "yaml")
    }

    /// The bundled document; throws `Missing` if it cannot be read.
    public static func bundled() throws -> OpenAPIDocument {
        try load(from: resourceURL)
    }

    /// The document at `url`; throws `Missing` if there is none or it is empty.
    public static func load(from url: URL?) throws -> OpenAPIDocument {
        guard let url else {
            throw Missing(path: "varde_VardeHTTP.resources/openapi.yaml", reason: "not in the resource bundle")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw Missing(path: url.path, reason: "\(error)")
        }
        guard !data.isEmpty else { throw Missing(path: url.path, reason: "empty") }
        return OpenAPIDocument(bytes: ByteBuffer(bytes: data))
    }

    /// `200`, `application/yaml`, the bytes of the file.
    func response() -> Response {
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: bytes))
    }
}
