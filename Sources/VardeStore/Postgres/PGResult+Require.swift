import Foundation
import VardeCore

/// Throwing reads of a cell: a row of the wrong shape (schema drift, a NULL
/// where none may be) fails the one request that read it, as a
/// `protocolViolation` naming the column, instead of trapping the process.
extension PGResult {
    private func shape(_ what: String, _ column: Int) -> PGError {
        PGError(.protocolViolation, message: "\(what) in column \(column)")
    }

    public func optionalUUID(_ row: Int, _ column: Int) throws(PGError) -> UUID? {
        guard let text = string(row, column) else { return nil }
        guard let id = UUID(text: text) else { throw shape("not a UUID", column) }
        return id
    }

    public func requireBool(_ row: Int, _ column: Int) throws(PGError) -> Bool {
        switch string(row, column) {
        case "t": return true
        case "f": return false
        default: throw shape("not a boolean", column)
        }
    }

    /// An instant sent as whole microseconds since the epoch (`varde_micros`-style bigint).
    public func requireMicros(_ row: Int, _ column: Int) throws(PGError) -> Date {
        Timestamp.fromMicros(try requireInt(row, column))
    }

    public func optionalMicros(_ row: Int, _ column: Int) throws(PGError) -> Date? {
        guard !isNull(row, column) else { return nil }
        return try requireMicros(row, column)
    }

    /// A json/jsonb cell decoded as `T` (with the read models' date style).
    public func requireJSON<T: Decodable>(_ type: T.Type, _ row: Int, _ column: Int) throws -> T {
        guard !isNull(row, column) else { throw shape("NULL", column) }
        return try withBytes(row, column) { bytes in
            do {
                return try EventJSON.decoder.decode(T.self, from: Data(bytes))
            } catch {
                throw shape("not a \(T.self) (\(error))", column)
            }
        }
    }

    /// Every row through `body`, which reads one row by index.
    public func rows<T>(_ body: (Int) throws -> T) rethrows -> [T] {
        try (0..<rowCount).map(body)
    }
}
