import CLibPQ

extension PGConnection {
    /// Runs `COPY … TO STDOUT` and hands each row (in the COPY text format,
    /// with its newline) to `row`. Returns the rows and bytes received.
    @discardableResult
    public func copyOut(_ sql: String, row: (UnsafeRawBufferPointer) throws -> Void = { _ in }) throws -> (rows: Int, bytes: Int) {
        try withHandle { handle in
            guard let started = PQexec(handle, sql) else {
                throw PGError(.connection, message: String(cString: PQerrorMessage(handle)))
            }
            let status = PQresultStatus(started)
            let message = String(cString: PQresultErrorMessage(started))
            PQclear(started)
            guard status == PGRES_COPY_OUT else {
                throw PGError(PQstatus(handle) == CONNECTION_OK ? .server : .connection, message: message)
            }
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
