import Foundation
import HubCore
import Logging
import PostgresNIO
import ServiceLifecycle

/// Retention of sync job history: finished jobs created longer than `HUB_SYNC_JOB_RETENTION_DAYS`
/// ago are deleted with the problems they recorded, every 10 minutes in each sync-worker, so a
/// schedule running every minute does not grow `sync_jobs` forever. The newest finished job of
/// each connection and entity stays whatever its age: the API and console show it as that
/// entity's last sync, and a failed one is where the next job resumes (`failedPosition`).
/// Queued and running jobs are never touched.
public struct SyncJobRetention: Service {
    let client: PostgresClient
    /// How long a job is kept after it was created.
    let retention: Duration
    let logger: Logger

    public init(client: PostgresClient, retention: Duration, logger: Logger) {
        self.client = client
        self.retention = retention
        self.logger = logger
    }

    /// What a prune deleted.
    public struct Pruned: Sendable, Equatable {
        public var jobs = 0
        public var problems = 0

        public init(jobs: Int = 0, problems: Int = 0) {
            self.jobs = jobs
            self.problems = problems
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await PruneLoop(logger: logger).run(pruning: "sync jobs") {
                let pruned = try await prune(olderThan: retention)
                guard pruned.jobs > 0 else { return nil }
                return ["jobs": "\(pruned.jobs)", "problems": "\(pruned.problems)"]
            }
        }
    }

    /// Deletes finished jobs created longer than `age` ago by the database's clock, `batch` jobs
    /// per statement so none holds many locks or runs long, until a batch deletes fewer; returns
    /// what went. Replicas may prune at once: jobs another one holds are skipped, not waited for.
    public func prune(olderThan age: Duration, batch: Int = 1_000) async throws -> Pruned {
        var pruned = Pruned()
        while !Task.isCancelled {
            let deleted = try await pruneBatch(olderThan: age, limit: batch)
            pruned.jobs += deleted.jobs
            pruned.problems += deleted.problems
            if deleted.jobs < batch { break }
        }
        return pruned
    }

    /// One statement: up to `limit` of the oldest finished jobs past the retention that a newer
    /// finished job of their connection and entity follows, each with its problems and any seen
    /// marks a crash left (sync_seen has no key to the job). The foreign key from
    /// `sync_job_errors` is checked at the statement's end, once both deletions are done.
    func pruneBatch(olderThan age: Duration, limit: Int) async throws -> Pruned {
        let seconds = age / .seconds(1)
        let rows = try await client.query(
            """
            WITH doomed AS MATERIALIZED (
                SELECT j.id FROM sync_jobs j
                WHERE j.status IN ('completed', 'failed', 'cancelled') AND j.created_at < now() - make_interval(secs => \(seconds))
                    AND EXISTS (
                        SELECT 1 FROM sync_jobs n
                        WHERE n.connection_id = j.connection_id AND n.entity = j.entity
                            AND n.status IN ('completed', 'failed', 'cancelled') AND (n.created_at, n.id) > (j.created_at, j.id)
                    )
                ORDER BY j.created_at LIMIT \(limit) FOR UPDATE OF j SKIP LOCKED
            ), problems AS (
                DELETE FROM sync_job_errors e USING doomed d WHERE e.job_id = d.id RETURNING 1
            ), seen AS (
                DELETE FROM sync_seen s USING doomed d WHERE s.job_id = d.id
            ), jobs AS (
                DELETE FROM sync_jobs j USING doomed d WHERE j.id = d.id RETURNING 1
            )
            SELECT (SELECT count(*) FROM jobs)::int, (SELECT count(*) FROM problems)::int
            """,
            logger: logger
        )
        for try await (jobs, problems) in rows.decode((Int, Int).self) { return Pruned(jobs: jobs, problems: problems) }
        return Pruned()
    }
}
