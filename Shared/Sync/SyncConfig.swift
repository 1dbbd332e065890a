import Foundation
import HubCore

/// Which way records travel for one connection and entity.
public enum SyncDirection: String, Codable, Sendable, CaseIterable, PostgresTextEnum, APIEnumeration {
    case pull
    case push
    case bidirectional
}

/// When a sync runs by itself: never (`manual`), on a fixed cadence, or when the provider's
/// webhooks say something changed (`realtime`).
public enum SyncSchedule: String, Codable, Sendable, CaseIterable, PostgresTextEnum, APIEnumeration {
    case manual
    case hourly
    case daily
    case realtime
    case interval
}

/// Who wins when both sides changed a record since the last sync.
public enum ConflictPolicy: String, Codable, Sendable, CaseIterable, PostgresTextEnum, APIEnumeration {
    case remoteWins = "remote_wins"
    case localWins = "local_wins"
    case newestWins = "newest_wins"
}

/// The sync configuration of one connection and entity.
public struct SyncConfig: Codable, Sendable, Equatable {
    public var id: UUID
    public var connectionID: UUID
    public var entity: String
    public var direction: SyncDirection
    public var schedule: SyncSchedule
    public var intervalSeconds: Int?
    public var filters: JSONValue
    /// The organization's field mapping over the connector's defaults (`{}`: the defaults).
    public var fieldMappings: JSONValue
    public var conflictPolicy: ConflictPolicy
    public var enabled: Bool
    public var nextRunAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, entity, direction, schedule, filters, enabled
        case connectionID = "connection_id"
        case intervalSeconds = "interval_seconds"
        case fieldMappings = "field_mappings"
        case conflictPolicy = "conflict_policy"
        case nextRunAt = "next_run_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// The first run of a schedule from `now`: nil for schedules that do not run by themselves.
    public static func nextRun(schedule: SyncSchedule, intervalSeconds: Int?, after now: Date) -> Date? {
        switch schedule {
        case .manual, .realtime: nil
        case .hourly: now.addingTimeInterval(3600)
        case .daily: now.addingTimeInterval(86_400)
        case .interval: intervalSeconds.map { now.addingTimeInterval(TimeInterval($0)) }
        }
    }
}
