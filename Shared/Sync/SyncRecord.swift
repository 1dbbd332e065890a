import Foundation
import HubCore

/// One record of the canonical store as the records API shows it.
public struct SyncRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var connectionID: UUID
    public var entity: String
    /// The provider's id; nil for a local record not pushed yet.
    public var externalID: String?
    /// The canonical fields (money in minor units with its currency, instants in UTC).
    public var fields: JSONValue
    /// The provider's object as last seen.
    public var providerPayload: JSONValue?
    public var remoteUpdatedAt: Date?
    public var localUpdatedAt: Date
    public var deletedAt: Date?
    /// A local write waiting for a push: `create`, `update` or `delete`.
    public var pendingOperation: String?
    public var pushedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, entity, fields
        case connectionID = "connection_id"
        case externalID = "external_id"
        case providerPayload = "provider_payload"
        case remoteUpdatedAt = "remote_updated_at"
        case localUpdatedAt = "local_updated_at"
        case deletedAt = "deleted_at"
        case pendingOperation = "pending_operation"
        case pushedAt = "pushed_at"
    }

    /// The key of the record in a listing ordered by local update time, for its page cursor.
    public var cursorKey: String { TimeOrderedCursor.key(createdAt: localUpdatedAt, id: id) }

    /// The record's version as an HTTP entity tag: its last change's time in microseconds. Every
    /// change sets that time (a local write, a pull, a push, a deletion), so a record a client read
    /// has changed since exactly when the tag differs (`RecordStore.updateLocal(ifVersions:)`).
    public var etag: String { "\"\(Self.version(of: localUpdatedAt))\"" }

    static func version(of time: Date) -> Int64 { Int64((time.timeIntervalSince1970 * 1_000_000).rounded()) }
}
