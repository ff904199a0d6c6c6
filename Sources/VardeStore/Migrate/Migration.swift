import Crypto
import Foundation
import VardeCore

/// One numbered file from `sql/`, e.g. `005_projections.sql`: the tables,
/// indexes and sequences, applied once each, in order, and immutable once
/// applied. Functions, triggers and grants are `SQLObject`s (see sql/README.md).
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String

    /// SHA-256 of the file, recorded when applied: an edited migration is refused.
    public var checksum: String { Hex.encode(SHA256.hash(data: Data(sql.utf8))) }

    /// Checksums of earlier texts of this file that a database may have
    /// applied instead, each on a line `-- varde:replaces <sha256>`: an edit
    /// that moved statements to `functions/`, `triggers/` or `privileges/`
    /// (which re-create them) leaves such a database in the same state, and
    /// says so here. Any other edit is still refused.
    public var replaces: [String] {
        sql.split(separator: "\n").compactMap { line in
            let prefix = "-- varde:replaces "
            return line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) : nil
        }
    }

    /// Numbers of migrations that are gone from `sql/`: databases made before
    /// the SQL objects moved to one file each applied them (they held only
    /// functions, triggers and grants, now in `functions/`, `triggers/`,
    /// `privileges/`). Their records stay; they count for nothing, and the
    /// numbers are never used again.
    public static let retired: Set<Int> = [2, 3, 8, 9, 10]

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
        guard
            let found = candidates.first(where: {
                FileManager.default.fileExists(atPath: $0.appending(path: marker).path)
            })
        else {
            throw PGError(.protocolViolation, message: "cannot find the sql/ migrations folder; pass --sql-dir or set VARDE_SQL_DIR")
        }
        return found
    }

    public static func load(from folder: URL) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        return
            try files
            .filter { $0.pathExtension == "sql" }
            .compactMap { url -> Migration? in
                let name = url.deletingPathExtension().lastPathComponent
                guard let version = Int(name.prefix { $0.isNumber }) else { return nil }
                guard !retired.contains(version) else {
                    throw PGError(
                        .protocolViolation, message: "migration \(name) uses the retired number \(version); take the next free one")
                }
                return Migration(version: version, name: name, sql: try String(contentsOf: url, encoding: .utf8))
            }
            .sorted { $0.version < $1.version }
    }
}

/// A function, trigger or set of grants from `sql/functions/`, `sql/triggers/`
/// or `sql/privileges/`, one object per file, written to be applied again
/// (`CREATE OR REPLACE`). `varde migrate` applies them after the numbered
/// migrations: functions, then triggers, then privileges, each folder in file
/// name order; a function or trigger again whenever its file's checksum
/// differs from the one recorded, the privileges on every run (they must
/// follow tables and roles that appeared since).
public struct SQLObject: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case functions, triggers, privileges
    }

    public var kind: Kind
    /// `functions/varde_append`: folder and file name without `.sql`.
    public var name: String
    public var sql: String

    public var checksum: String { Hex.encode(SHA256.hash(data: Data(sql.utf8))) }

    /// The objects in the `sql/` folder `Migration.folder(explicit:)` finds.
    public static func bundled(folder explicit: String? = nil) throws -> [SQLObject] {
        try load(from: Migration.folder(explicit: explicit))
    }

    /// In the order they are applied.
    public static func load(from folder: URL) throws -> [SQLObject] {
        try Kind.allCases.flatMap { kind -> [SQLObject] in
            let directory = folder.appending(path: kind.rawValue)
            guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
            return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "sql" }
                .map { url in
                    SQLObject(
                        kind: kind, name: kind.rawValue + "/" + url.deletingPathExtension().lastPathComponent,
                        sql: try String(contentsOf: url, encoding: .utf8))
                }
                .sorted { $0.name < $1.name }
        }
    }
}
