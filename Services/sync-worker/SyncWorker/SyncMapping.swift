import Foundation
import HubConnectors
import HubCore

/// How a job turns provider payloads into canonical fields and back: the connector's default
/// mapping for the entity with the organization's override over it (validated when it was PUT).
struct SyncMapping: Sendable {
    let map: @Sendable (JSONValue) -> (canonical: JSONValue, errors: [String])
    let unmap: @Sendable (JSONValue) -> JSONValue

    init(connectorType: any DataConnector.Type, entity: String, override: JSONValue?) throws {
        let mapping = try Self.effective(connectorType: connectorType, entity: entity, override: override)
        map = { payload in
            let mapped = mapping.map(payload)
            return (mapped.canonical, mapped.errors)
        }
        unmap = { mapping.unmap($0) }
    }

    /// The defaults with the override over them; an override that no longer decodes (stored
    /// before a change of format) fails the job with the reason rather than syncing unmapped.
    static func effective(connectorType: any DataConnector.Type, entity: String, override: JSONValue?) throws -> FieldMapping {
        let defaults = connectorType.defaultFieldMappings[entity] ?? FieldMapping(rules: [])
        guard let override, override.objectValue?.isEmpty == false else { return defaults }
        do {
            let decoded = try JSONDecoder.hub.decode(FieldMapping.self, from: Data(override.encoded()))
            return defaults.overriding(with: decoded)
        } catch {
            throw SyncFailure(message: "the field mapping of \(entity) cannot be read; PUT it again")
        }
    }
}
