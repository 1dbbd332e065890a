/// What a provider offers, beyond its entities.
public enum Capability: String, Codable, Sendable, Hashable, CaseIterable {
    case oauth
    case apiKey = "api_key"
    /// The provider sends webhooks the hub can verify.
    case webhooks
    /// Records can be pulled into the hub.
    case sync
    /// Local changes can be pushed back to the provider.
    case push
    /// Inbound webhooks can trigger syncs as changes happen.
    case realtime
}

/// Everything the hub knows about one provider, declared by its connector. The catalog service
/// serves these; nothing about a provider is written down anywhere else.
public struct ProviderDefinition: Codable, Sendable, Hashable, Identifiable {
    enum CodingKeys: String, CodingKey {
        case id
        case displayName = "display_name"
        case category
        case description
        case docsURL = "docs_url"
        case auth
        case capabilities
        case entities
        case webhookEvents = "webhook_events"
    }

    /// Stable identifier used in every route and row (`stripe`, `quickbooks`).
    public var id: String
    public var displayName: String
    public var category: ProviderCategory
    public var description: String
    public var docsURL: String
    public var auth: AuthDefinition
    public var capabilities: [Capability]
    public var entities: [EntityDefinition]
    /// The provider's own webhook event names the connector understands (`invoice.paid`,
    /// `orders/create`, `SYNC_UPDATES_AVAILABLE`).
    public var webhookEvents: [String]

    public init(
        id: String,
        displayName: String,
        category: ProviderCategory,
        description: String,
        docsURL: String,
        auth: AuthDefinition,
        capabilities: [Capability],
        entities: [EntityDefinition],
        webhookEvents: [String]
    ) {
        self.id = id
        self.displayName = displayName
        self.category = category
        self.description = description
        self.docsURL = docsURL
        self.auth = auth
        self.capabilities = capabilities
        self.entities = entities
        self.webhookEvents = webhookEvents
    }

    /// The entity definition for a hub entity type, if the provider has it.
    public func entity(_ name: String) -> EntityDefinition? {
        entities.first { $0.name == name }
    }
}

extension ProviderDefinition {
    /// The definition with the capabilities `connector` really has: `sync` when it is a
    /// `DataConnector` and an entity can be read, `push` when it is one and an entity can be
    /// written, `realtime` only beside `sync`. Others (`oauth`, `api_key`, `webhooks`) as declared.
    public func implemented(by connector: any Connector.Type) -> ProviderDefinition {
        let moves = connector is any DataConnector.Type
        let readable = moves && entities.contains { $0.operations.contains(.read) }
        let writable = moves && entities.contains { $0.operations.contains { $0 != .read } }
        var result = self
        result.capabilities = capabilities.filter { capability in
            switch capability {
            case .sync: readable
            case .push: writable
            case .realtime: readable
            case .oauth, .apiKey, .webhooks: true
            }
        }
        return result
    }
}
