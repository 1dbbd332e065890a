import HubConnectors
import HubCore

/// How a job turns provider payloads into canonical fields and back: the connector's default
/// mapping for the entity with the organization's override over it.
struct SyncMapping: Sendable {
    let map: @Sendable (JSONValue) -> (canonical: JSONValue, errors: [String])
    let unmap: @Sendable (JSONValue) -> JSONValue

    init(connectorType: any DataConnector.Type, entity: String, override: JSONValue?) throws {
        // TODO(field mappings): replaced by FieldMapping once it lands.
        map = { _ in ([:], []) }
        unmap = { $0 }
    }
}
