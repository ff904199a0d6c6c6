import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension DevelopmentKey {
    /// Why the development key file could not be loaded or created.
    public enum FileError: Error, Sendable, Equatable, CustomStringConvertible {
        case cannotCreateDirectory(String)
        case cannotWrite(String, errno: Int32)
        case cannotRead(String)
        case invalidKey(String)

        public var description: String {
            switch self {
            case .cannotCreateDirectory(let path): "cannot create directory \(path)"
            case .cannotWrite(let path, let code): "cannot write \(path): \(String(cString: strerror(code)))"
            case .cannotRead(let path): "cannot read \(path)"
            case .invalidKey(let path): "\(path) does not hold a P-256 private key in PEM"
            }
        }
    }

    /// Loads the PEM key at `path`, or creates one there on first use: parent
    /// directories (mode 0700) and the file (mode 0600) are created as needed.
    /// The file is written under a temporary name and hard-linked into place, so
    /// a concurrent first use never sees half a key. An existing file readable
    /// by others is narrowed to 0600.
    public static func loadOrCreate(at path: String) throws(FileError) -> DevelopmentKey {
        if let existing = try load(path) { return existing }
        let key = P256.Signing.PrivateKey()
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch { throw .cannotCreateDirectory(directory) }
        }
        let temporary = path + ".tmp-" + UUID().uuidString
        defer { unlink(temporary) }
        try writePrivate(Data(key.pemRepresentation.utf8), to: temporary)
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST, let winner = try load(path) { return winner }
            throw .cannotWrite(path, errno: code)
        }
        return DevelopmentKey(privateKey: key)
    }

    /// The key at `path`, or `nil` if there is no file.
    private static func load(_ path: String) throws(FileError) -> DevelopmentKey? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { throw .cannotRead(path) }
        guard let key = try? P256.Signing.PrivateKey(pemRepresentation: String(decoding: data, as: UTF8.self))
        else { throw .invalidKey(path) }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o077 != 0 { _ = chmod(path, 0o600) }
        return DevelopmentKey(privateKey: key)
    }

    /// Creates `path` exclusively with mode 0600 and writes `data` to it.
    private static func writePrivate(_ data: Data, to path: String) throws(FileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .cannotWrite(path, errno: errno) }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw .cannotWrite(path, errno: errno) }
        var written = 0
        while written < data.count {
            let result = data.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { throw .cannotWrite(path, errno: errno) }
            written += result
        }
        guard fsync(descriptor) == 0 else { throw .cannotWrite(path, errno: errno) }
    }
}
