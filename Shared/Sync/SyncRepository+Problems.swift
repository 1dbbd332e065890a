import Foundation
import HubCore
import PostgresNIO

extension SyncRepository {
    /// A job's record-level problems in the order they were recorded, those after `after` (a
    /// problem's id; 0 for the first page), up to `limit`, only of `kind` when given. Nil when
    /// the organization has no such job.
    public func problems(
        organization: UUID,
        job: UUID,
        kind: SyncJobProblem.Kind?,
        after: Int64,
        limit: Int
    ) async throws -> [SyncJobProblem]? {
        // One statement: no row when the organization has no such job, one row of nulls when it
        // has no problems (after `after`).
        let rows = try await client.query(
            """
            SELECT e.id, e.kind, e.external_id, e.message, e.occurred_at
            FROM sync_jobs j LEFT JOIN LATERAL (
                SELECT id, kind, external_id, message, occurred_at FROM sync_job_errors
                WHERE job_id = j.id AND id > \(after) AND (\(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue))
                ORDER BY id LIMIT \(limit)
            ) e ON true
            WHERE j.org_id = \(organization) AND j.id = \(job)
            """,
            logger: logger
        )
        var problems: [SyncJobProblem]?
        for try await (id, kind, externalID, message, at) in rows.decode((Int64?, SyncJobProblem.Kind?, String?, String?, Date?).self) {
            var found = problems ?? []
            if let id, let kind, let message, let at {
                found.append(SyncJobProblem(id: id, kind: kind, externalID: externalID, message: message, at: at))
            }
            problems = found
        }
        return problems
    }
}
