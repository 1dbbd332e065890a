import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `body` (a claim from a queue table) with sorting priced out of the planner, inside the
    /// caller's transaction, and restores the setting after.
    ///
    /// A claim (`ORDER BY … LIMIT n FOR UPDATE SKIP LOCKED`) should walk its partial index in
    /// order and stop after n rows. Without statistics (a fresh table, or one that grew since its
    /// last analyze) the planner guesses a handful of due rows and prefers a bitmap scan of all of
    /// them plus a sort: with a backlog of 20,000 rows that took 30-40 ms per claim instead of
    /// well under one. With sorting off, the ordered index scan is the only cheap plan.
    public func inIndexOrder<Result>(logger: Logger, _ body: () async throws -> Result) async throws -> Result {
        try await query("SET LOCAL enable_sort = off", logger: logger)
        let result = try await body()
        try await query("SET LOCAL enable_sort TO DEFAULT", logger: logger)
        return result
    }
}
