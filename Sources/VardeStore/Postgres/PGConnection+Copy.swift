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
        PQclear(started)
        guard status == expecting else {
            throw PGError(PQstatus(handle) == CONNECTION_OK ? .server : .connection, message: message)
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
                    error = PGError(.server, message: String(cString: PQresultErrorMessage(result)))
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
    /// Runs `COPY … FROM STDIN` with `data` in the COPY text format (see
    /// `CopyText`). Returns the rows the server stored. A refused row fails the
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
                    error = PGError(.server, sqlState: field(UInt8(ascii: "C")),
                                    message: field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(result)))
                }
                PQclear(result)
            }
            if let error { throw error }
            return rows
        }
    }
}

/// Rows in PostgreSQL's COPY text format: fields separated by tabs, rows ended
/// by newlines, `\N` for NULL, backslash escapes for `\`, tab, newline and CR.
struct CopyText {
    private(set) var bytes: [UInt8] = []
    private var fieldsInRow = 0

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(0x09) }
        fieldsInRow += 1
    }

    mutating func field(_ text: String?) {
        separate()
        guard let text else { bytes.append(contentsOf: [0x5C, UInt8(ascii: "N")]); return }
        appendEscaped(text.utf8)
    }

    private mutating func appendEscaped(_ utf8: some Sequence<UInt8>) {
        for c in utf8 {
            switch c {
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            default: bytes.append(c)
            }
        }
    }

    mutating func field(_ uuid: UUID?) { field(uuid?.lowercasedText) }

    mutating func field(_ n: Int64) {
        separate()
        bytes.append(contentsOf: String(n).utf8)
    }

    mutating func field(_ b: Bool) {
        separate()
        bytes.append(b ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    /// A JSON document (a `jsonb` column).
    mutating func field(json: JSONWriter) {
        separate()
        appendEscaped(json.bytes)
    }

    mutating func endRow() {
        bytes.append(0x0A)
        fieldsInRow = 0
    }
}
