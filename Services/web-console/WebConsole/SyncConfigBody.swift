import HubCore

/// The body of `PUT …/sync-configs/{entity}` from a form that edits part of the configuration:
/// what the form changed over the configuration as it is now, so saving the schedule never
/// resets the mappings and saving the mappings never resets the schedule. The API takes
/// `interval_seconds` only with the `interval` schedule, so it is sent only then.
enum SyncConfigBody {
    static let defaults: [String: JSONValue] = ["enabled": false, "direction": "pull", "schedule": "manual", "conflict_policy": "remote_wins"]
    static let kept = ["enabled", "direction", "schedule", "conflict_policy", "interval_seconds", "field_mappings", "filters"]

    static func merged(current: JSONValue?, changes: [String: JSONValue]) -> JSONValue {
        var body = defaults
        for key in kept {
            if let value = current?[key], value != .null { body[key] = value }
        }
        body.merge(changes) { _, new in new }
        if body["schedule"]?.stringValue != "interval" { body["interval_seconds"] = nil }
        return .object(body)
    }
}
