import Foundation
import HubCore

/// Where a sync job stands.
public enum SyncJobStatus: String, Codable, Sendable, CaseIterable, PostgresTextEnum {
    case queued
    case running
    case completed
    case failed
    case cancelled

    /// Whether the job still holds its connection and entity (a new trigger returns it).
    public var isActive: Bool { self == .queued || self == .running }
}

/// What started a job.
public enum SyncTrigger: String, Codable, Sendable, PostgresTextEnum {
    case manual
    case schedule
    case webhook
}

/// One run of a sync for a connection and entity, with its progress and counts.
public struct SyncJob: Codable, Sendable, Equatable {
    public struct Counts: Codable, Sendable, Equatable {
        public var created: Int
        public var updated: Int
        public var deleted: Int
        public var skipped: Int
        public var conflicts: Int
        public var errors: Int
    }

    public var id: UUID
    public var connectionID: UUID
    public var entity: String
    public var direction: SyncDirection
    public var fullResync: Bool
    public var trigger: SyncTrigger
    /// Who started it through the API (the token's subject); nil for the schedule and webhooks.
    public var startedBy: String?
    public var status: SyncJobStatus
    public var statusReason: String?
    public var pages: Int
    public var counts: Counts
    public var cancelRequested: Bool
    public var attempts: Int
    /// Progress while it runs: records handled so far and the current rate.
    public var recordsSeen: Int = 0
    public var recordsPerSecond: Double?
    public var pushed: Int = 0
    /// The first record-level errors and conflicts (all of them are kept in the database).
    public var errorSamples: JSONValue = []
    /// Waits a provider's rate limit imposed on the job (a quarter second or longer), how long
    /// they lasted in all, and until when the current one lasts.
    public var rateLimitWaits: Int = 0
    public var rateLimitedMilliseconds: Int64 = 0
    public var rateLimitedUntil: Date?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, entity, direction, trigger, status, pages, counts, attempts, pushed
        case recordsSeen = "records_seen"
        case recordsPerSecond = "records_per_second"
        case errorSamples = "error_samples"
        case startedBy = "started_by"
        case rateLimitWaits = "rate_limit_waits"
        case rateLimitedMilliseconds = "rate_limited_ms"
        case rateLimitedUntil = "rate_limited_until"
        case connectionID = "connection_id"
        case fullResync = "full_resync"
        case statusReason = "status_reason"
        case cancelRequested = "cancel_requested"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}
