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
