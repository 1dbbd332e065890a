import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `body` (a claim from a queue table) with sorting priced out of the planner, inside the
    /// caller's transaction, and restores the setting after.
    ///
    /// A claim (`ORDER BY … LIMIT n FOR UPDATE SKIP LOCKED`) should walk its partial index in
    /// order and stop after n rows. Without statistics (a fresh table, or one grown since its last
    /// analyze) the planner would choose a bitmap scan of every due row plus a sort instead.
    public func inIndexOrder<Result>(logger: Logger, _ body: () async throws -> Result) async throws -> Result {
        try await query("SET LOCAL enable_sort = off", logger: logger)
        let result = try await body()
        try await query("SET LOCAL enable_sort TO DEFAULT", logger: logger)
        return result
    }
}
