import PostgresNIO

extension PostgresClient {
    /// Runs `body` on `connection` when the caller holds one (a transaction the work belongs to),
    /// else on a connection of the pool. For repository methods that serve both.
    public func withConnection<Result: Sendable>(
        reusing connection: PostgresConnection?,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        if let connection { return try await body(connection) }
        return try await withConnection { try await body($0) }
    }
}
