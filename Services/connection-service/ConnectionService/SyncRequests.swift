import HubConnections
import HubCore
import HubSync

/// `PUT /api/v1/integrations/connections/{id}/sync-configs/{entity}`: the whole configuration.
struct PutSyncConfigRequest: StrictDecodable {
    static let allowedFields: Set<String> = [
        "direction", "schedule", "interval_seconds", "filters", "field_mappings", "conflict_policy", "enabled",
    ]

    var direction: SyncDirection?
    var schedule: SyncSchedule?
    var intervalSeconds: Int?
    var filters: JSONValue?
    /// An override of the connector's default mapping (`{"rules": [...]}`); `{}` or absent: the defaults.
    var fieldMappings: JSONValue?
    var conflictPolicy: ConflictPolicy?
    var enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case direction, schedule, filters, enabled
        case intervalSeconds = "interval_seconds"
        case fieldMappings = "field_mappings"
        case conflictPolicy = "conflict_policy"
    }
}

/// `POST /api/v1/integrations/connections/{id}/sync`: one entity or every enabled one.
struct TriggerSyncRequest: StrictDecodable {
    static let allowedFields: Set<String> = ["entity", "direction", "full_resync"]

    var entity: String?
    var direction: SyncDirection?
    var fullResync: Bool?

    enum CodingKeys: String, CodingKey {
        case entity, direction
        case fullResync = "full_resync"
    }
}
