import Foundation
import HubCore
import PostgresNIO

/// The worker's side of jobs: taking one, saving each page's progress with its records, and
/// finishing. Every write after the claim is fenced by the claimed attempt.
extension SyncRepository {
    /// How claiming a job ended.
    public enum Claim: Sendable, Equatable {
        case run(RunningJob)
        /// Running, and its worker beat lately: that worker is alive and keeps the job.
        case beating
        /// Finished, cancelled or gone: nothing to do (a duplicate or stale stream entry).
        case nothing
    }

    /// Takes a queued or running job for this worker. A cancel requested meanwhile finishes it
    /// here. The caller holds the pair's lock, which says a `running` job's previous worker is
    /// gone, unless Redis lost the lock under a live one (flushed, failed over): so a running job
    /// whose worker beat within `aliveWithin` stays that worker's (`.beating`). A live worker
    /// beats every third of its lease and a dead one's lock outlives its last beat by at least two
    /// thirds, so half the lease tells them apart.
    public func claim(_ id: UUID, worker: String, aliveWithin liveness: Duration) async throws -> Claim {
        try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                """
                UPDATE sync_jobs SET
                    status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'running' END,
                    status_reason = CASE WHEN cancel_requested THEN coalesce(status_reason, 'cancelled') ELSE status_reason END,
                    finished_at = CASE WHEN cancel_requested THEN now() ELSE finished_at END,
                    attempts = attempts + 1, worker = \(worker), started_at = coalesce(started_at, now()), heartbeat_at = now(),
                    since = CASE WHEN cursor IS NULL AND NOT full_resync AND since IS NULL
                        THEN (SELECT checkpoint FROM sync_checkpoints k WHERE k.connection_id = sync_jobs.connection_id
                              AND k.entity = sync_jobs.entity)
                        ELSE since END
                WHERE id = \(id) AND (status = 'queued' OR status = 'running' AND \(workerSilentFor: liveness))
                RETURNING id, org_id, connection_id, entity, direction, full_resync, trigger, attempts, cursor, since, status
                """,
                logger: logger
            )
            let columns = (UUID, UUID, UUID, String, SyncDirection, Bool, SyncTrigger, Int, String?, String?, SyncJobStatus).self
            for try await (id, organization, connection, entity, direction, fullResync, trigger, attempt, cursor, since, status)
                in rows.decode(columns)
            {
                guard status == .running else { return .nothing }
                var job = RunningJob(
                    id: id,
                    organizationID: organization,
                    connectionID: connection,
                    entity: entity,
                    direction: direction,
                    fullResync: fullResync,
                    trigger: trigger,
                    attempt: attempt,
                    cursor: cursor,
                    since: since
                )
                if job.attempt == 1, job.cursor == nil, !job.fullResync, let resumed = try await failedPosition(of: job, on: db) {
                    job.cursor = resumed.cursor
                    job.since = resumed.since
                    try await db.query(
                        "UPDATE sync_jobs SET cursor = \(job.cursor), since = \(job.since) WHERE id = \(job.id)",
                        logger: logger
                    )
                }
                return .run(job)
            }
            let running = try await db.query("SELECT 1 FROM sync_jobs WHERE id = \(id) AND status = 'running'", logger: logger)
            for try await _ in running.decode(Int.self) { return .beating }
            return .nothing
        }
    }

    /// Where the pair's last job stopped if it failed part-way (its retry budget ran out) with
    /// no completed job since: the new job continues from there rather than starting over.
    func failedPosition(of job: RunningJob, on db: PostgresConnection) async throws -> (cursor: String, since: String?)? {
        let rows = try await db.query(
            """
            SELECT f.cursor, f.since FROM sync_jobs f
            WHERE f.connection_id = \(job.connectionID) AND f.entity = \(job.entity) AND f.id <> \(job.id)
                AND f.status = 'failed' AND f.cursor IS NOT NULL AND NOT f.full_resync AND f.direction <> 'push'
                AND NOT EXISTS (SELECT 1 FROM sync_jobs c WHERE c.connection_id = f.connection_id AND c.entity = f.entity
                    AND c.status = 'completed' AND c.created_at > f.created_at)
            ORDER BY f.created_at DESC LIMIT 1
            """,
            logger: logger
        )
        for try await (cursor, since) in rows.decode((String, String?).self) { return (cursor, since) }
        return nil
    }

    /// Saves the progress of one write (one or more pages) in its transaction: the next cursor,
    /// counts, the rate, problems. Returns whether a cancel was requested; throws `LostJob` when another worker
    /// has taken the job over (the transaction must roll back).
    public func savePage(
        _ job: RunningJob,
        nextCursor: String?,
        progress: PageProgress,
        recordsPerSecond: Double,
        on db: PostgresConnection
    ) async throws -> Bool {
        let rows = try await db.query(
            """
            UPDATE sync_jobs SET cursor = \(nextCursor), pages = pages + \(progress.pages),
                created_count = created_count + \(progress.created), updated_count = updated_count + \(progress.updated),
                deleted_count = deleted_count + \(progress.deleted), skipped_count = skipped_count + \(progress.skipped),
                conflict_count = conflict_count + \(progress.conflicts), error_count = error_count + \(progress.errors),
                pushed_count = pushed_count + \(progress.pushed), records_seen = records_seen + \(progress.records),
                records_per_second = \(recordsPerSecond), heartbeat_at = greatest(heartbeat_at, clock_timestamp())
            WHERE id = \(job.id) AND attempts = \(job.attempt) AND status = 'running'
            RETURNING cancel_requested
            """,
            logger: logger
        )
        var cancel: Bool?
        for try await requested in rows.decode(Bool.self) { cancel = requested }
        guard let cancel else { throw LostJob(id: job.id) }
        try await recordProblems(job, progress.problems, on: db)
        return cancel
    }

    /// A provider's rate limit holds the job for `wait`: counted, added up, and shown as
    /// `rate_limited_until` while it lasts.
    public func noteRateLimitWait(_ job: RunningJob, wait: Duration) async throws {
        let milliseconds = wait.wholeMilliseconds
        try await client.query(
            """
            UPDATE sync_jobs SET rate_limit_waits = rate_limit_waits + 1, rate_limited_ms = rate_limited_ms + \(milliseconds),
                rate_limited_until = now() + make_interval(secs => \(Double(milliseconds) / 1000))
            WHERE id = \(job.id) AND attempts = \(job.attempt)
            """,
            logger: logger
        )
    }

    func recordProblems(_ job: RunningJob, _ problems: [(externalID: String?, message: String, kind: String)], on db: PostgresConnection) async throws
    {
        guard !problems.isEmpty else { return }
        let ids = problems.map { $0.externalID ?? "" }
        let messages = problems.map(\.message)
        let kinds = problems.map(\.kind)
        try await db.query(
            """
            INSERT INTO sync_job_errors (job_id, org_id, kind, external_id, message)
            SELECT \(job.id), \(job.organizationID), x.kind, nullif(x.ext, ''), x.message
            FROM unnest(\(kinds)::text[], \(ids)::text[], \(messages)::text[]) AS x(kind, ext, message)
            """,
            logger: logger
        )
        // The job keeps the first few for the API; the table keeps them all.
        try await db.query(
            """
            UPDATE sync_jobs SET error_samples = (
                SELECT coalesce(jsonb_agg(jsonb_build_object('kind', kind, 'external_id', external_id, 'message', message,
                    'at', occurred_at) ORDER BY id), '[]'::jsonb)
                FROM (SELECT * FROM sync_job_errors WHERE job_id = \(job.id) ORDER BY id LIMIT 20) s)
            WHERE id = \(job.id) AND jsonb_array_length(error_samples) < 20
            """,
            logger: logger
        )
    }

    /// Records where the pull ended, for the next incremental pull.
    public func saveCheckpoint(_ job: RunningJob, checkpoint: String?, pulled: Bool, pushed: Bool, on db: PostgresConnection) async throws {
        try await db.query(
            """
            INSERT INTO sync_checkpoints (connection_id, entity, org_id, checkpoint, last_pull_at, last_push_at)
            VALUES (\(job.connectionID), \(job.entity), \(job.organizationID), \(checkpoint),
                CASE WHEN \(pulled) THEN now() END, CASE WHEN \(pushed) THEN now() END)
            ON CONFLICT (connection_id, entity) DO UPDATE SET
                checkpoint = CASE WHEN \(pulled) THEN EXCLUDED.checkpoint ELSE sync_checkpoints.checkpoint END,
                last_pull_at = coalesce(EXCLUDED.last_pull_at, sync_checkpoints.last_pull_at),
                last_push_at = coalesce(EXCLUDED.last_push_at, sync_checkpoints.last_push_at)
            """,
            logger: logger
        )
    }

    /// Ends a job (fenced): completed, failed (the cursor stays, so the next job resumes) or
    /// cancelled. The finished job, or nil when another worker owns it now. A full resync that
    /// ends without its sweep is never resumed (the next one starts over), so what it noted as
    /// seen goes with it.
    public func finish(_ job: RunningJob, status: SyncJobStatus, reason: String?, on db: PostgresConnection) async throws -> SyncJob? {
        let rows = try await db.query(
            """
            WITH ended AS (
                UPDATE sync_jobs SET status = \(status.rawValue), status_reason = \(reason), finished_at = now(), heartbeat_at = now()
                WHERE id = \(job.id) AND attempts = \(job.attempt) AND status = 'running'
                RETURNING \(unescaped: Self.jobColumns)
            ), unseen AS (
                DELETE FROM sync_seen WHERE job_id IN (SELECT id FROM ended WHERE full_resync AND status <> 'completed')
            )
            SELECT \(unescaped: Self.jobColumns) FROM ended
            """,
            logger: logger
        )
        return try await rows.decode(rows: SyncJob.self).first
    }

    /// Marks a running job as alive, unless a page write holds its row (that write beats for it):
    /// a job waiting on a slow or rate-limited provider saves no page for a while, and must not
    /// look abandoned meanwhile. Never waits for the row's lock (it may wait for a connection).
    /// The clock, not the transaction's start, and never backwards: a long page write must not
    /// leave an older time than a beat written while it ran.
    public func beat(_ job: RunningJob) async throws {
        try await client.query(
            """
            UPDATE sync_jobs SET heartbeat_at = greatest(heartbeat_at, clock_timestamp()) WHERE id = (
                SELECT id FROM sync_jobs WHERE id = \(job.id) AND attempts = \(job.attempt) AND status = 'running'
                FOR UPDATE SKIP LOCKED)
            """,
            logger: logger
        )
    }

    /// Records that the job stream lost every entry (Redis lost its data): each unfinished job
    /// counts as never published, so `republishable` sends a running one again as soon as its
    /// worker is silent, not `olderThan` after it was last published.
    public func streamLost() async throws {
        try await client.query(
            "UPDATE sync_jobs SET published_at = '-infinity' WHERE status IN ('queued', 'running')",
            logger: logger
        )
    }

    /// Marks jobs whose ids could not be sent to the workers as never published, so the
    /// scheduler's next round sends them (`republishable` takes them at any age).
    public func markUnpublished(_ jobs: [UUID]) async throws {
        try await client.query(
            "UPDATE sync_jobs SET published_at = '-infinity' WHERE id = ANY(\(jobs)::uuid[]) AND status IN ('queued', 'running')",
            logger: logger
        )
    }

    /// Jobs that may have lost their stream entry: queued or running, not published for
    /// `olderThan`, and if running, not heartbeating for `silentFor`: a job
    /// whose worker still beats is that worker's. Each is marked published now, so one sweep
    /// re-sends it once.
    public func republishable(
        olderThan age: Duration,
        silentFor silence: Duration,
        limit: Int = 500
    ) async throws -> [(id: UUID, organization: UUID)] {
        let rows = try await client.query(
            """
            UPDATE sync_jobs SET published_at = now()
            WHERE id IN (
                SELECT id FROM sync_jobs
                WHERE status IN ('queued', 'running')
                    AND coalesce(published_at, created_at) < now() - make_interval(secs => \(age.inSeconds))
                    AND (status = 'queued' OR \(workerSilentFor: silence))
                ORDER BY created_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING id, org_id
            """,
            logger: logger
        )
        var jobs: [(id: UUID, organization: UUID)] = []
        for try await (id, org) in rows.decode((UUID, UUID).self) { jobs.append((id, org)) }
        return jobs
    }

    /// Thrown when a job's attempt is no longer the current one.
    public struct LostJob: Error, Sendable {
        public var id: UUID

        public init(id: UUID) {
            self.id = id
        }
    }
}
