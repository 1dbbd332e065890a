import PostgresNIO

extension PostgresError.Code {
    /// Whether `error` is PostgreSQL's error of this code, also when a transaction's closure or
    /// its commit threw it (postgres-nio wraps those in `PostgresTransactionError`).
    public func matches(_ error: any Error) -> Bool {
        PostgresError.sqlState(of: error) == raw
    }
}

extension PostgresError {
    /// The SQLSTATE of PostgreSQL's error in `error`, also inside a transaction's error.
    public static func sqlState(of error: any Error) -> String? {
        switch error {
        case let error as PSQLError:
            error.serverInfo?[.sqlState]
        case let error as PostgresTransactionError:
            (error.closureError ?? error.commitError).flatMap(sqlState(of:))
        default:
            nil
        }
    }

    /// Whether PostgreSQL refused the data itself (SQLSTATE class 22, a data exception, or 23, an
    /// integrity constraint violation): sent again unchanged, it is refused again.
    public static func refusesData(_ error: any Error) -> Bool {
        guard let state = sqlState(of: error) else { return false }
        return state.hasPrefix("22") || state.hasPrefix("23")
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
