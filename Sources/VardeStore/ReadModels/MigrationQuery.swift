extension ReadSession {
    /// The migrations applied to this database, by version, with their checksums (`/readyz`).
    public func appliedMigrations() throws -> [Int: String] {
        try connection.appliedMigrations()
    }
}
