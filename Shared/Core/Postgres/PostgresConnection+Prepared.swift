import Logging
import PostgresNIO

extension PostgresConnection {
    /// Executes `statement`, prepared once per connection. postgres-nio keeps a failed preparation
    /// as the statement's answer for the rest of the connection's life (prepared in an aborted
    /// transaction, or before a migration made its table), without asking the server again. So
    /// after a failure other than a refusal of the data the statement is sent once more unnamed,
    /// and the server answers for itself. Callers' statements are safe to run again: a failed
    /// statement changed nothing, and in a transaction the second try fails as the first did,
    /// so there the first error, the cause, is the one thrown (the second only says "aborted").
    /// Failures met here are the preparation's and, for a statement without rows, its execution's;
    /// a statement with rows reports its execution's errors while they are read. (One case reads
    /// wrong: a preparation failure postgres-nio kept from earlier, met in a transaction that
    /// something else aborted, is thrown in place of "aborted".)
    public func executePrepared<Statement: PostgresPreparedStatement>(
        _ statement: Statement,
        logger: Logger
    ) async throws -> AsyncThrowingMapSequence<PostgresRowSequence, Statement.Row> {
        do {
            return try await execute(statement, logger: logger)
        } catch let first where !PostgresError.refusesData(first) {
            logger.debug(
                "a prepared statement failed; sending it unnamed",
                metadata: ["statement": "\(Statement.name)", "sqlstate": "\(PostgresError.sqlState(of: first) ?? "none")"]
            )
            do {
                let sql = PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings())
                return try await query(sql, logger: logger).map { try statement.decodeRow($0) }
            } catch let second where PostgresError.Code.inFailedSqlTransaction.matches(second) {
                throw first
            }
        }
    }

    /// Runs `statement`, which returns no rows, to its end: postgres-nio's command-tag overload of
    /// `execute` traps on a prepared statement that returns no rows.
    public func runPrepared<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws
    where Statement.Row == () {
        for try await _ in try await executePrepared(statement, logger: logger) {}
    }
}
