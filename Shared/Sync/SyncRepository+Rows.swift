import Foundation
import HubCore
import PostgresNIO

extension SyncConfig: PostgresRowDecodable {
    /// A row of `SyncRepository.configColumns`.
    public init(row: PostgresRow) throws {
        let (
            id, connectionID, entity, direction, schedule, intervalSeconds, filters, conflictPolicy, enabled, nextRunAt, createdAt,
            updatedAt, fieldMappings
        ) = try row.decode(
            (UUID, UUID, String, SyncDirection, SyncSchedule, Int?, JSONValue, ConflictPolicy, Bool, Date?, Date, Date, JSONValue).self
        )
        self.init(
            id: id,
            connectionID: connectionID,
            entity: entity,
            direction: direction,
            schedule: schedule,
            intervalSeconds: intervalSeconds,
            filters: filters,
            fieldMappings: fieldMappings,
            conflictPolicy: conflictPolicy,
            enabled: enabled,
            nextRunAt: nextRunAt,
            createdAt: createdAt,
            updatedAt: updatedAt
        )
    }
}

extension SyncJob: PostgresRowDecodable {
    /// A row of `SyncRepository.jobColumns`.
    public init(row: PostgresRow) throws {
        let (
            id, connectionID, entity, direction, fullResync, trigger, status, statusReason, pages, created, updated, deleted, skipped,
            conflicts, errors, cancelRequested, attempts, createdAt, startedAt, finishedAt, recordsSeen, recordsPerSecond, pushed,
            errorSamples, rateLimitWaits, rateLimitedMilliseconds, rateLimitedUntil, startedBy
        ) = try row.decode(
            (
                UUID, UUID, String, SyncDirection, Bool, SyncTrigger, SyncJobStatus, String?, Int, Int, Int, Int, Int, Int, Int, Bool, Int,
                Date, Date?, Date?, Int, Double?, Int, JSONValue, Int, Int64, Date?, String?
            ).self
        )
        self.init(
            id: id,
            connectionID: connectionID,
            entity: entity,
            direction: direction,
            fullResync: fullResync,
            trigger: trigger,
            startedBy: startedBy,
            status: status,
            statusReason: statusReason,
            pages: pages,
            counts: Counts(created: created, updated: updated, deleted: deleted, skipped: skipped, conflicts: conflicts, errors: errors),
            cancelRequested: cancelRequested,
            attempts: attempts,
            recordsSeen: recordsSeen,
            recordsPerSecond: recordsPerSecond,
            pushed: pushed,
            errorSamples: errorSamples,
            createdAt: createdAt,
            startedAt: startedAt,
            finishedAt: finishedAt
        )
        self.rateLimitWaits = rateLimitWaits
        self.rateLimitedMilliseconds = rateLimitedMilliseconds
        self.rateLimitedUntil = rateLimitedUntil
    }
}
