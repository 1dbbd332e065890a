import PostgresNIO

extension PostgresError.Code {
    /// Whether `error` is PostgreSQL's error of this code, also when a transaction's closure or
    /// its commit threw it (postgres-nio wraps those in `PostgresTransactionError`).
    public func matches(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            error.serverInfo?[.sqlState] == raw
        case let error as PostgresTransactionError:
            (error.closureError ?? error.commitError).map(matches) ?? false
        default:
            false
        }
    }
}

extension PostgresTransactionError {
    /// Runs `body` (a `withTransaction`), throwing an error of type `E` that the transaction's
    /// closure threw as itself rather than wrapped: the caller's own signal, the rollback that
    /// came with it no news to the caller.
    public static func surfacing<E: Error, T>(_ type: E.Type, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresTransactionError {
            if let own = error.closureError as? E { throw own }
            throw error
        }
    }
}
