import Foundation
import HubConnectors
import HubCore

/// How provider payloads become canonical fields and back for one connection and entity: the
/// connector's default mapping with the organization's override over it. Pulls and inbound
/// webhooks map through the mapping built here, and connection-service validates an override
/// against the same merge when it is PUT.
public enum SyncMapping {
    /// An override stored before a change of format that no longer decodes: the caller fails
    /// with `message` rather than syncing unmapped.
    public struct Unreadable: Error, Sendable {
        public var message: String
    }

    /// The mapping a sync uses, from the override as stored (`field_mappings`, possibly empty).
    public static func effective(connectorType: any DataConnector.Type, entity: String, override: JSONValue?) throws(Unreadable) -> FieldMapping {
        guard let override, override.objectValue?.isEmpty == false else { return defaults(connectorType, entity) }
        let decoded: FieldMapping
        do {
            decoded = try JSONDecoder.hub.decode(FieldMapping.self, from: Data(override.encoded()))
        } catch {
            throw Unreadable(message: "the field mapping of \(entity) cannot be read; PUT it again")
        }
        return effective(connectorType: connectorType, entity: entity, override: decoded)
    }

    /// The connector's defaults for `entity` with a decoded `override` over them.
    public static func effective(connectorType: (any DataConnector.Type)?, entity: String, override: FieldMapping) -> FieldMapping {
        defaults(connectorType, entity).overriding(with: override)
    }

    /// The connector's defaults for the entity; no rules for a connector without them.
    public static func defaults(_ connectorType: (any DataConnector.Type)?, _ entity: String) -> FieldMapping {
        connectorType?.defaultFieldMappings[entity] ?? FieldMapping(rules: [])
    }
}
