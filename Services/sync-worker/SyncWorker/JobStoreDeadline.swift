import HubCore
import Logging
import PostgresNIO

/// How long one of a job's calls to PostgreSQL may take before it is abandoned as failed.
let jobStoreDeadline: Duration = .seconds(120)

/// A job's call to PostgreSQL, abandoned as failed after `jobStoreDeadline`: a statement stuck on
/// a connection that died with PostgreSQL would otherwise hold the job, its lock (the lease
/// keeper goes on extending it) and its slot for good. The job's stream entry then comes back
/// after the claim idle time, and the attempt fence keeps out a write that commits late.
func bounded<T: Sendable>(_ what: String, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withDeadline(jobStoreDeadline, what, operation)
}

/// A transaction of a job's, abandoned as failed after `jobStoreDeadline` (see `bounded`).
func boundedTransaction<T: Sendable>(
    _ what: String,
    on postgres: PostgresClient,
    logger: Logger,
    _ body: @escaping @Sendable (PostgresConnection) async throws -> T
) async throws -> T {
    try await bounded(what) { try await postgres.withTransaction(logger: logger) { db in try await body(db) } }
}
