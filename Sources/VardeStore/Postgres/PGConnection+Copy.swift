import CLibPQ
import Foundation
import VardeCore

extension PGConnection {
    /// Sends the COPY statement and checks the server switched to COPY mode.
    private static func startCopy(_ handle: OpaquePointer, _ sql: String, expecting: ExecStatusType) throws {
        guard let started = PQexec(handle, sql) else {
            throw PGError(.connection, message: String(cString: PQerrorMessage(handle)))
        }
        let status = PQresultStatus(started)
        let message = String(cString: PQresultErrorMessage(started))
        let state = PQresultErrorField(started, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        PQclear(started)
        guard status == expecting else {
            // Without SQLSTATE the error is libpq's own: the connection went away.
            throw PGError(PQstatus(handle) == CONNECTION_OK && state != nil ? .server : .connection, sqlState: state, message: message)
        }
    }

    /// Runs `COPY … TO STDOUT` and hands each row (in the COPY text format,
    /// with its newline) to `row`. Returns the rows and bytes received.
    @discardableResult
    public func copyOut(_ sql: String, row: (UnsafeRawBufferPointer) throws -> Void = { _ in }) throws -> (rows: Int, bytes: Int) {
        try withHandle { handle in
            try Self.startCopy(handle, sql, expecting: PGRES_COPY_OUT)
            var rows = 0, bytes = 0
            var failure: (any Error)?
            while true {
                var buffer: UnsafeMutablePointer<CChar>?
                let length = PQgetCopyData(handle, &buffer, 0)
                if length > 0, let buffer {
                    rows += 1
                    bytes += Int(length)
                    if failure == nil {
                        do { try row(UnsafeRawBufferPointer(start: buffer, count: Int(length))) } catch { failure = error }
                    }
                    PQfreemem(buffer)
                } else if length == -1 {
                    break
                } else {
                    throw PGError(.connection, message: String(cString: PQerrorMessage(handle)))
                }
            }
            // The command's final status, then nil.
            var error: PGError?
            while let result = PQgetResult(handle) {
                if PQresultStatus(result) != PGRES_COMMAND_OK, error == nil {
                    let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
                    error = PGError(
                        state == nil || PQstatus(handle) != CONNECTION_OK ? .connection : .server, sqlState: state,
                        message: String(cString: PQresultErrorMessage(result)))
                }
                PQclear(result)
            }
            if let error { throw error }
            if let failure { throw failure }
            return (rows, bytes)
        }
    }
}

extension PGConnection {
    /// Runs `COPY … FROM STDIN` with `data` in the format the statement names
    /// (`CopyBinary` for `FORMAT binary`). Returns the rows the server stored. A refused row fails the
    /// whole COPY, and with it the open transaction.
    @discardableResult
    public func copyIn(_ sql: String, _ data: [UInt8]) throws -> Int64 {
        try withHandle { handle in
            try Self.startCopy(handle, sql, expecting: PGRES_COPY_IN)
            let sent = data.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
            }
            guard sent == 1, PQputCopyEnd(handle, nil) == 1 else {
                throw PGError(.connection, message: String(cString: PQerrorMessage(handle)))
            }
            var error: PGError?
            var rows: Int64 = 0
            while let result = PQgetResult(handle) {
                if PQresultStatus(result) == PGRES_COMMAND_OK {
                    rows = Int64(String(cString: PQcmdTuples(result))) ?? 0
                } else if error == nil {
                    let field = { (code: UInt8) -> String? in PQresultErrorField(result, Int32(code)).map { String(cString: $0) } }
                    error = PGError(
                        field(UInt8(ascii: "C")) == nil || PQstatus(handle) != CONNECTION_OK ? .connection : .server,
                        sqlState: field(UInt8(ascii: "C")),
                        message: field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(result)))
                }
                PQclear(result)
            }
            if let error { throw error }
            return rows
        }
    }
}

/// Rows in PostgreSQL's binary COPY format (`COPY … FROM STDIN (FORMAT
/// binary)`): a header, then per row its number of fields and each field as
/// a length and the type's binary form, then a trailer. Cheaper on both ends
/// than the text format: nothing to escape here, no uuid, time or number to
/// parse there. The caller names the columns in the order it writes them.
struct CopyBinary {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity + 21)
        bytes.append(contentsOf: Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00])
        append(Int32(0))  // flags
        append(Int32(0))  // header extension length
    }

    private mutating func append<I: FixedWidthInteger>(_ value: I) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func null() { append(Int32(-1)) }

    mutating func row(fields: Int) { append(Int16(fields)) }

    mutating func field(_ uuid: UUID?) {
        guard let uuid else { return null() }
        append(Int32(16))
        withUnsafeBytes(of: uuid.uuid) { bytes.append(contentsOf: $0) }
    }

    /// `text`.
    mutating func field(_ text: String?) {
        guard var text else { return null() }
        text.withUTF8 { utf8 in
            append(Int32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// `bigint`.
    mutating func field(_ n: Int64) {
        append(Int32(8))
        append(n)
    }

    /// `integer`.
    mutating func field(_ n: Int32) {
        append(Int32(4))
        append(n)
    }

    mutating func field(_ b: Bool) {
        append(Int32(1))
        bytes.append(b ? 1 : 0)
    }

    /// `timestamptz`: microseconds since 2000-01-01 UTC.
    mutating func field(milliseconds ms: Int64) {
        append(Int32(8))
        append((ms - 946_684_800_000) * 1000)
    }

    /// `jsonb`: a format version, then the JSON text.
    mutating func field(json: JSONWriter) {
        append(Int32(json.bytes.count + 1))
        bytes.append(1)
        bytes.append(contentsOf: json.bytes)
    }

    /// The rows with the trailer, for `copyIn`.
    var finished: [UInt8] { bytes + [0xFF, 0xFF] }
}
