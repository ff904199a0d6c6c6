import Foundation
import VardeCore

/// One request's view of the read models: the named queries of this folder,
/// run on one pooled connection, so that authorising, writing the access-log
/// row and reading cost one checkout. The HTTP layer gets no SQL and no raw
/// connection from it.
public struct ReadSession: Sendable {
    let connection: PGConnection

    init(_ connection: PGConnection) {
        self.connection = connection
    }

    /// Records reads before their data is returned (a failed write fails the read).
    public func logAccess(_ entries: [AccessEntry]) throws {
        try connection.logAccess(entries)
    }

    /// `body` inside one REPEATABLE READ, READ ONLY transaction: several
    /// queries that must agree (a page and its total) see one snapshot.
    public func snapshot<T>(_ body: (ReadSession) throws -> T) throws -> T {
        try connection.transaction(opening: [.init("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")]) { c, _ in
            try body(ReadSession(c))
        }
    }

    /// The patient's decision state, brought up to date with its stream on
    /// this connection (the repository's cache keeps the fold incremental).
    public func patientState(_ id: UUID, from repository: PatientRepository) throws -> PatientState {
        try repository.state(of: id, on: connection)
    }
}

extension Database {
    /// Runs `body` with a read session on one pooled connection.
    public func read<T: Sendable>(_ body: @escaping @Sendable (ReadSession) throws -> T) async throws -> T {
        try await withConnection { try body(ReadSession($0)) }
    }
}
