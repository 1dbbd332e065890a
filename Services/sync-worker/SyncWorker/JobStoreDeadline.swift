import HubCore
import Logging
import PostgresNIO

/// A part of a job's run that calls PostgreSQL. Each call is abandoned as failed after the store
/// deadline (`HUB_SYNC_STORE_DEADLINE_SECONDS`): a statement stuck on a connection that died with
/// PostgreSQL would otherwise hold the job, its lock (the lease keeper goes on extending it) and
/// its slot for good. The job's stream entry then comes back after the claim idle time, and the
/// attempt fence keeps out a write that commits late.
protocol JobStoreCalls {
    var settings: SyncConfiguration { get }
}

extension JobStoreCalls {
    /// A job's call to PostgreSQL, abandoned as failed after the store deadline.
    func bounded<T: Sendable>(_ what: String, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withDeadline(settings.storeDeadline, what, operation)
    }

    /// A transaction of a job's, abandoned as failed after the store deadline.
    func boundedTransaction<T: Sendable>(
        _ what: String,
        on postgres: PostgresClient,
        logger: Logger,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await bounded(what) { try await postgres.withTransaction(logger: logger) { db in try await body(db) } }
    }
}

extension JobRunner: JobStoreCalls {}
extension LocalWritePusher: JobStoreCalls {}
