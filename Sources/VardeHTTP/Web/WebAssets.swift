import Foundation
import Hummingbird

/// The web app's files (`Resources/webapp`, a resource folder of this target:
/// `varde_VardeHTTP.resources/webapp` beside the binary), read once at start
/// and served from memory. Only files found there are served, by exact
/// name: no path from a request ever reaches the file system.
public struct WebAssets: Sendable {
    struct File: Sendable {
        var bytes: ByteBuffer
        var contentType: String
        var etag: String
    }

    /// Pages (`pages/index.html`) and static files (`assets/app.css`), by path in the folder.
    let files: [String: File]

    public struct Missing: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "the web app's files cannot be read at \(path): install the varde_VardeHTTP.resources folder beside the varde binary"
        }
    }

    public static func bundled() throws -> WebAssets {
        guard let folder = Bundle.module.url(forResource: "webapp", withExtension: nil) else {
            throw Missing(path: "varde_VardeHTTP.resources/webapp")
        }
        return try load(from: folder)
    }

    static func load(from folder: URL) throws -> WebAssets {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw Missing(path: folder.path)
        }
        var files: [String: File] = [:]
        let root = folder.standardizedFileURL.path + "/"
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let name = String(url.standardizedFileURL.path.dropFirst(root.count))
            guard let type = contentTypes[url.pathExtension] else { continue }
            let data = try Data(contentsOf: url)
            files[name] = File(bytes: ByteBuffer(bytes: data), contentType: type, etag: "\"\(String(fnv1a(data), radix: 16))\"")
        }
        guard files["pages/index.html"] != nil else { throw Missing(path: folder.path + "/pages/index.html") }
        return WebAssets(files: files)
    }

    /// FNV-1a, 64 bits: the same ETag on every instance serving the same build.
    static func fnv1a(_ data: Data) -> UInt64 {
        data.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    static let contentTypes = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon",
    ]

    /// A static file under `assets/`, or 404. `If-None-Match` with its ETag is 304.
    func asset(_ name: String, request: Request) throws -> Response {
        guard let file = files["assets/" + name] else { throw Problem.notFound("file") }
        if request.headers[.ifNoneMatch] == file.etag { return Response(status: .notModified, headers: [.eTag: file.etag]) }
        return Response(
            status: .ok, headers: [.contentType: file.contentType, .eTag: file.etag], body: .init(byteBuffer: file.bytes))
    }

    /// A page under `pages/`; with `development`, its banner placeholder says
    /// DEVELOPMENT SIGN-IN, so even a page without its scripts shows it.
    func page(_ name: String, development: Bool, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let file = files["pages/" + name] else { throw Problem.notFound("page") }
        var body = file.bytes
        if development {
            let html = String(buffer: body).replacingOccurrences(of: "<!--development-banner-->", with: Self.developmentBanner)
            body = ByteBuffer(string: html)
        }
        return Response(status: status, headers: [.contentType: file.contentType], body: .init(byteBuffer: body))
    }

    static let developmentBanner =
        #"<p class="development-banner" role="note"><strong>DEVELOPMENT</strong> — "#
        + #"utviklingsinnlogging, ikke for ekte pasienter / development sign-in, not for real patients</p>"#
}
