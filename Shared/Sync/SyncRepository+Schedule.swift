import Foundation
import HubCore
import PostgresNIO

/// Scheduled syncs: due configurations become jobs.
extension SyncRepository {
    /// Turns every due configuration of a connected connection into a job and moves its next run
    /// on, in one statement: whichever replica runs it, each due run is enqueued once (the rows are
    /// locked, skipped by a concurrent run) and none is skipped. A pair whose job is still queued
    /// or running absorbs the run. A schedule that fell behind (the workers were down) runs once
    /// now and resumes its cadence from now, rather than once per missed run.
    public func enqueueDue(limit: Int = 200) async throws -> [(id: UUID, organization: UUID)] {
        let rows = try await client.query(
            """
            WITH due AS (
                SELECT s.id, s.org_id, s.connection_id, s.entity, s.direction, s.next_run_at,
                    CASE s.schedule WHEN 'hourly' THEN 3600 WHEN 'daily' THEN 86400 ELSE s.interval_seconds END AS period
                FROM sync_configs s JOIN connections c ON c.id = s.connection_id AND c.status = 'connected'
                WHERE s.enabled AND s.next_run_at IS NOT NULL AND s.next_run_at <= now()
                ORDER BY s.next_run_at LIMIT \(limit)
                FOR UPDATE OF s SKIP LOCKED
            ), advanced AS (
                UPDATE sync_configs s SET next_run_at = CASE
                    WHEN due.next_run_at + make_interval(secs => due.period) > now() THEN due.next_run_at + make_interval(secs => due.period)
                    ELSE now() + make_interval(secs => due.period) END
                FROM due WHERE s.id = due.id
                RETURNING s.id
            )
            INSERT INTO sync_jobs (id, org_id, connection_id, entity, direction, trigger, published_at)
            SELECT hub_uuid_v7(), due.org_id, due.connection_id, due.entity, due.direction, 'schedule', now()
            FROM due JOIN advanced ON advanced.id = due.id
            ON CONFLICT (connection_id, entity) WHERE status IN ('queued', 'running') DO NOTHING
            RETURNING id, org_id
            """,
            logger: logger
        )
        var jobs: [(id: UUID, organization: UUID)] = []
        for try await (id, org) in rows.decode((UUID, UUID).self) { jobs.append((id, org)) }
        return jobs
    }
}
