import ArgumentParser
import VardeStore

/// The command line may say more than an HTTP client is told: a database
/// error is printed with the server's message.
public func reporting<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as PGError {
        throw ValidationError(error.debugDescription)
    }
}
