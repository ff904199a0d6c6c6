import Crypto
import Foundation
import VardeCore

/// One numbered file from `sql/`, e.g. `003_varde_append.sql`.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String

    /// SHA-256 of the file, recorded when applied: an edited migration is refused.
    public var checksum: String { Hex.encode(SHA256.hash(data: Data(sql.utf8))) }

    /// The migrations in the `sql/` folder, found as `folder(explicit:)` says.
    public static func bundled(folder explicit: String? = nil) throws -> [Migration] {
        try load(from: folder(explicit: explicit))
    }

    /// Where `sql/` is: the explicit path (`--sql-dir`), else `VARDE_SQL_DIR`,
    /// else `./sql`, else the nearest `sql/` above the executable (a build in
    /// `.build/…` of a checkout) or beside it in `share/varde/sql` (an install).
    public static func folder(explicit: String? = nil) throws -> URL {
        let environment = ProcessInfo.processInfo.environment["VARDE_SQL_DIR"]
        var candidates = [explicit, environment].compactMap { $0 }.map { URL(fileURLWithPath: $0) }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appending(path: "sql"))
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.appending(path: "sql"))
            candidates.append(directory.appending(path: "share/varde/sql"))
            directory.deleteLastPathComponent()
        }
        let marker = "001_events.sql"
        guard let found = candidates.first(where: {
            FileManager.default.fileExists(atPath: $0.appending(path: marker).path)
        }) else {
            throw PGError(.protocolViolation, message: "cannot find the sql/ migrations folder; pass --sql-dir or set VARDE_SQL_DIR")
        }
        return found
    }

    public static func load(from folder: URL) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        return try files
            .filter { $0.pathExtension == "sql" }
            .compactMap { url -> Migration? in
                let name = url.deletingPathExtension().lastPathComponent
                guard let version = Int(name.prefix { $0.isNumber }) else { return nil }
                return Migration(version: version, name: name, sql: try String(contentsOf: url, encoding: .utf8))
            }
            .sorted { $0.version < $1.version }
    }
}
