import CLibPQ
import Foundation
import VardeCore

/// A completed result set, read lazily in text format. Immutable once created,
/// so it may be read from any thread; freed when the last reference goes.
public final class PGResult: @unchecked Sendable {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) {
        self.result = result
    }

    deinit { PQclear(result) }

    public var rowCount: Int { Int(PQntuples(result)) }
    public var columnCount: Int { Int(PQnfields(result)) }
    /// Rows touched by INSERT/UPDATE/DELETE.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    /// True for SQL NULL, and for a cell outside the result (reading row 0 of
    /// an empty result is a NULL, not a libpq complaint on stderr).
    public func isNull(_ row: Int, _ column: Int) -> Bool {
        guard row >= 0, row < rowCount, column >= 0, column < columnCount else { return true }
        return PQgetisnull(result, Int32(row), Int32(column)) == 1
    }

    public func string(_ row: Int, _ column: Int) -> String? {
        if isNull(row, column) { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    /// The raw bytes of a text-format value, without copying into a String.
    public func withBytes<T>(_ row: Int, _ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        let pointer = PQgetvalue(result, Int32(row), Int32(column))!
        return try pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            try body(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    public func int(_ row: Int, _ column: Int) -> Int64? {
        string(row, column).flatMap { Int64($0) }
    }

    public func bool(_ row: Int, _ column: Int) -> Bool? {
        string(row, column).map { $0 == "t" }
    }

    /// `bytea` in hex text form (`\x…`).
    public func bytes(_ row: Int, _ column: Int) -> [UInt8]? {
        guard !isNull(row, column) else { return nil }
        return withBytes(row, column) { raw in
            guard raw.count >= 2, raw[0] == UInt8(ascii: "\\"), raw[1] == UInt8(ascii: "x") else { return [] }
            return Hex.decode(raw.dropFirst(2))
        }
    }

    public func requireString(_ row: Int, _ column: Int) throws(PGError) -> String {
        guard let value = string(row, column) else {
            throw PGError(.protocolViolation, message: "NULL in column \(column)")
        }
        return value
    }

    public func requireUUID(_ row: Int, _ column: Int) throws(PGError) -> UUID {
        guard let value = UUID(text: try requireString(row, column)) else {
            throw PGError(.protocolViolation, message: "not a UUID in column \(column)")
        }
        return value
    }

    public func requireInt(_ row: Int, _ column: Int) throws(PGError) -> Int64 {
        guard let value = int(row, column) else {
            throw PGError(.protocolViolation, message: "not an integer in column \(column)")
        }
        return value
    }
}
