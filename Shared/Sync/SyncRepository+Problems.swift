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
        try await client.withConnection { db in
            let exists = try await db.query("SELECT 1 FROM sync_jobs WHERE org_id = \(organization) AND id = \(job)", logger: logger)
            var found = false
            for try await _ in exists { found = true }
            guard found else { return nil }
            let rows = try await db.query(
                """
                SELECT id, kind, external_id, message, occurred_at FROM sync_job_errors
                WHERE job_id = \(job) AND id > \(after) AND (\(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue))
                ORDER BY id LIMIT \(limit)
                """,
                logger: logger
            )
            var problems: [SyncJobProblem] = []
            for try await (id, kind, externalID, message, at) in rows.decode((Int64, SyncJobProblem.Kind, String?, String, Date).self) {
                problems.append(SyncJobProblem(id: id, kind: kind, externalID: externalID, message: message, at: at))
            }
            return problems
        }
    }
}
