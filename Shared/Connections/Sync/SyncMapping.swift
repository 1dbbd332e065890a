import Foundation
import HubConnectors
import HubCore

/// How provider payloads become canonical fields and back for one connection and entity: the
/// connector's default mapping with the organization's override over it (validated when it was
/// PUT). Pulls and inbound webhooks map through the same one.
public struct SyncMapping: Sendable {
    public let map: @Sendable (JSONValue) -> (canonical: JSONValue, errors: [String])
    public let unmap: @Sendable (JSONValue) -> JSONValue

    /// An override stored before a change of format that no longer decodes: the caller fails
    /// with `message` rather than syncing unmapped.
    public struct Unreadable: Error, Sendable {
        public var message: String
    }

    public init(connectorType: any DataConnector.Type, entity: String, override: JSONValue?) throws(Unreadable) {
        let mapping = try Self.effective(connectorType: connectorType, entity: entity, override: override)
        map = { payload in
            let mapped = mapping.map(payload)
            return (mapped.canonical, mapped.errors)
        }
        unmap = { mapping.unmap($0) }
    }

    static func effective(connectorType: any DataConnector.Type, entity: String, override: JSONValue?) throws(Unreadable) -> FieldMapping {
        let defaults = connectorType.defaultFieldMappings[entity] ?? FieldMapping(rules: [])
        guard let override, override.objectValue?.isEmpty == false else { return defaults }
        do {
            let decoded = try JSONDecoder.hub.decode(FieldMapping.self, from: Data(override.encoded()))
            return defaults.overriding(with: decoded)
        } catch {
            throw Unreadable(message: "the field mapping of \(entity) cannot be read; PUT it again")
        }
    }
}
