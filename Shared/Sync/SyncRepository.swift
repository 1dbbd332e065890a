import Foundation
import HubCore
import Logging
import PostgresNIO

/// Sync configurations and jobs in PostgreSQL (the truth; the Redis stream only carries job ids
/// to workers). Every query is scoped by the organization.
public struct SyncRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    // MARK: Configurations

    public struct ConfigChange: Sendable {
        public var direction: SyncDirection
        public var schedule: SyncSchedule
        public var intervalSeconds: Int?
        public var filters: JSONValue
        public var fieldMappings: JSONValue
        public var conflictPolicy: ConflictPolicy
        public var enabled: Bool

        public init(
            direction: SyncDirection,
            schedule: SyncSchedule,
            intervalSeconds: Int?,
            filters: JSONValue,
            fieldMappings: JSONValue = [:],
            conflictPolicy: ConflictPolicy,
            enabled: Bool
        ) {
            self.direction = direction
            self.schedule = schedule
            self.intervalSeconds = intervalSeconds
            self.filters = filters
            self.fieldMappings = fieldMappings
            self.conflictPolicy = conflictPolicy
            self.enabled = enabled
        }
    }

    static let configColumns = """
        id, connection_id, entity, direction, schedule, interval_seconds, filters, conflict_policy, enabled, next_run_at,
        created_at, updated_at, field_mappings
        """

    /// Creates or replaces the configuration of one entity; the next scheduled run is computed anew.
    /// Audited on the connection as `sync_config.updated` (with what it now says), in the same
    /// transaction.
    public func putConfig(by actor: AuditActor, connection: UUID, entity: String, _ change: ConfigChange) async throws -> SyncConfig {
        let organization = actor.organizationID
        let next = change.enabled ? SyncConfig.nextRun(schedule: change.schedule, intervalSeconds: change.intervalSeconds, after: Date()) : nil
        return try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                """
                INSERT INTO sync_configs (id, org_id, connection_id, entity, direction, schedule, interval_seconds, filters,
                    field_mappings, conflict_policy, enabled, next_run_at)
                SELECT \(UUID()), \(organization), \(connection), \(entity), \(change.direction.rawValue), \(change.schedule.rawValue),
                    \(change.intervalSeconds), \(change.filters), \(change.fieldMappings), \(change.conflictPolicy.rawValue), \(change.enabled),
                    \(next)
                FROM connections WHERE org_id = \(organization) AND id = \(connection) AND status <> 'disconnected' FOR SHARE
                ON CONFLICT (connection_id, entity) DO UPDATE SET direction = EXCLUDED.direction, schedule = EXCLUDED.schedule,
                    interval_seconds = EXCLUDED.interval_seconds, filters = EXCLUDED.filters, field_mappings = EXCLUDED.field_mappings,
                    conflict_policy = EXCLUDED.conflict_policy, enabled = EXCLUDED.enabled, next_run_at = EXCLUDED.next_run_at,
                    updated_at = now()
                WHERE sync_configs.org_id = \(organization)
                RETURNING \(unescaped: Self.configColumns)
                """,
                logger: logger
            )
            guard let config = try await rows.decode(rows: SyncConfig.self).first else {
                throw SyncError.connectionDisconnected
            }
            var details: [String: JSONValue] = [
                "entity": .string(entity), "direction": .string(change.direction.rawValue), "schedule": .string(change.schedule.rawValue),
                "conflict_policy": .string(change.conflictPolicy.rawValue), "enabled": .bool(change.enabled),
                "field_mapping_rules": .number(Double(change.fieldMappings["rules"]?.arrayValue?.count ?? 0)),
            ]
            if let interval = change.intervalSeconds { details["interval_seconds"] = .number(Double(interval)) }
            try await AuditLogRepository.record(
                on: db,
                by: actor,
                action: "sync_config.updated",
                resourceType: "connection",
                resourceID: connection,
                details: .object(details),
                logger: logger
            )
            return config
        }
    }

    public func configs(organization: UUID, connection: UUID) async throws -> [SyncConfig] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.configColumns) FROM sync_configs
            WHERE org_id = \(organization) AND connection_id = \(connection) ORDER BY entity
            """,
            logger: logger
        )
        return try await rows.decode(rows: SyncConfig.self)
    }

    /// - Parameter db: the transaction to read in, if the caller holds one.
    public func config(
        organization: UUID,
        connection: UUID,
        entity: String,
        on db: PostgresConnection? = nil
    ) async throws -> SyncConfig? {
        try await client.withConnection(reusing: db) { db in
            let rows = try await db.query(
                """
                SELECT \(unescaped: Self.configColumns) FROM sync_configs
                WHERE org_id = \(organization) AND connection_id = \(connection) AND entity = \(entity)
                """,
                logger: logger
            )
            return try await rows.decode(rows: SyncConfig.self).first
        }
    }

    // MARK: Jobs

    static let jobColumns = """
        id, connection_id, entity, direction, full_resync, trigger, status, status_reason, pages, created_count, updated_count,
        deleted_count, skipped_count, conflict_count, error_count, cancel_requested, attempts, created_at, started_at, finished_at,
        records_seen, records_per_second, pushed_count, error_samples, rate_limit_waits, rate_limited_ms, rate_limited_until,
        started_by
        """

    /// Queues a job for a connection and entity, or returns the one already queued or running
    /// for that pair (`created` false). The partial unique index decides races, not a lookup.
    public func enqueue(
        organization: UUID,
        connection: UUID,
        entity: String,
        direction: SyncDirection,
        fullResync: Bool,
        trigger: SyncTrigger,
        startedBy: String? = nil
    ) async throws -> (job: SyncJob, created: Bool) {
        for _ in 0..<5 {
            let inserted = try await client.query(
                """
                INSERT INTO sync_jobs (id, org_id, connection_id, entity, direction, full_resync, trigger, started_by)
                SELECT \(UUID()), \(organization), \(connection), \(entity), \(direction.rawValue), \(fullResync), \(trigger.rawValue),
                    \(startedBy)
                FROM connections WHERE org_id = \(organization) AND id = \(connection) AND status = 'connected' FOR SHARE
                ON CONFLICT (connection_id, entity) WHERE status IN ('queued', 'running') DO NOTHING
                RETURNING \(unescaped: Self.jobColumns)
                """,
                logger: logger
            )
            if let job = try await inserted.decode(rows: SyncJob.self).first { return (job, true) }
            let active = try await client.query(
                """
                SELECT \(unescaped: Self.jobColumns) FROM sync_jobs
                WHERE org_id = \(organization) AND connection_id = \(connection) AND entity = \(entity)
                    AND status IN ('queued', 'running')
                """,
                logger: logger
            )
            // The active job may have finished between the two statements: then try again.
            if let job = try await active.decode(rows: SyncJob.self).first { return (job, false) }
            let live = try await client.query(
                "SELECT 1 FROM connections WHERE org_id = \(organization) AND id = \(connection) AND status = 'connected'",
                logger: logger
            )
            var connected = false
            for try await _ in live { connected = true }
            guard connected else {
                throw SyncError.connectionNotConnected
            }
        }
        throw SyncError.busy(entity: entity)
    }

    public func job(organization: UUID, id: UUID) async throws -> SyncJob? {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.jobColumns) FROM sync_jobs WHERE org_id = \(organization) AND id = \(id)",
            logger: logger
        )
        return try await rows.decode(rows: SyncJob.self).first
    }

    /// What a worker needs to know of a job before locking its pair (workers get bare job ids),
    /// and whether it is running with a worker that beat within `aliveWithin` (see `claim`): such
    /// a job is left alone without taking its lock, which would stop that worker if Redis had lost
    /// it (its lease keeper, finding the lock held, gives the job up).
    public func jobTarget(
        _ id: UUID,
        aliveWithin liveness: Duration
    ) async throws -> (connectionID: UUID, entity: String, status: SyncJobStatus, beating: Bool)? {
        let rows = try await client.query(
            """
            SELECT connection_id, entity, status,
                status = 'running' AND NOT \(workerSilentFor: liveness)
            FROM sync_jobs WHERE id = \(id)
            """,
            logger: logger
        )
        for try await target in rows.decode((UUID, String, SyncJobStatus, Bool).self) { return target }
        return nil
    }

    /// A connection's jobs, newest first; the cursor is `<created_at microseconds>:<id>`.
    public func jobs(organization: UUID, connection: UUID, page: PageRequest) async throws -> [SyncJob] {
        let cursor = try TimeOrderedCursor.parse(page)
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.jobColumns) FROM sync_jobs
            WHERE org_id = \(organization) AND connection_id = \(connection)
                AND (\(cursor?.time)::timestamptz IS NULL OR (created_at, id) < (\(cursor?.time), \(cursor?.id)))
            ORDER BY created_at DESC, id DESC LIMIT \(page.limit + 1)
            """,
            logger: logger
        )
        return try await rows.decode(rows: SyncJob.self)
    }

    public static func cursorKey(_ job: SyncJob) -> String {
        TimeOrderedCursor.key(createdAt: job.createdAt, id: job.id)
    }

    /// Cancels a job: a queued one at once, a running one at its worker's next page boundary.
    /// Nil when there is no such job; a finished job comes back unchanged.
    public func cancel(organization: UUID, id: UUID, reason: String) async throws -> SyncJob? {
        let rows = try await client.query(
            """
            UPDATE sync_jobs SET cancel_requested = true,
                status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
                status_reason = CASE WHEN status = 'queued' THEN \(reason) ELSE status_reason END,
                finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END
            WHERE org_id = \(organization) AND id = \(id) AND status IN ('queued', 'running')
            RETURNING \(unescaped: Self.jobColumns)
            """,
            logger: logger
        )
        if let job = try await rows.decode(rows: SyncJob.self).first { return job }
        return try await job(organization: organization, id: id)
    }
}
