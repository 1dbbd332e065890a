import HubConnections
import HubConnectors
import HubSync

/// Every event type the hub delivers, and who may publish each:
///
/// - the accounting product's own (`invoice.created` … `quote.expired`, from the integration-core
///   design), published through `POST /api/v1/integrations/events`;
/// - entity events syncs produce (`customer.created`, `payment.received`, …), derived from the
///   entities of the connectors that sync through `EntityEvents`, never a hand-kept list;
/// - the hub's own (`connection.connected`, `sync.failed`, `webhook_endpoint.disabled`, …), which
///   only the hub emits: the product cannot publish them, so a receiver can trust them.
public struct EventCatalog: Sendable {
    public enum Source: String, Sendable, Codable {
        case product
        case entity
        case hub
    }

    public struct EventType: Sendable, Codable, Hashable {
        public var type: String
        public var source: Source
        public var description: String
    }

    /// The accounting product's own types, in the design document's order.
    public static let productTypes = [
        "invoice.created", "invoice.updated", "invoice.paid", "invoice.overdue", "invoice.cancelled",
        "payment.received", "payment.failed", "payment.refunded",
        "customer.created", "customer.updated", "customer.deleted",
        "project.created", "project.updated", "project.completed",
        "ticket.created", "ticket.updated", "ticket.resolved",
        "quote.created", "quote.accepted", "quote.rejected", "quote.expired",
    ]

    public static let hubTypes: [(String, String)] = [
        ("connection.connected", "A connection to a provider was made."),
        ("connection.disconnected", "A connection was disconnected."),
        ("connection.reauth_required", "A connection's authorization stopped working; a person must authorize it again."),
        ("sync.completed", "A sync job finished."),
        ("sync.failed", "A sync job failed."),
        (WebhookEventTypes.endpointDisabled, "A webhook subscription was disabled because its endpoint kept failing or answered 410."),
    ]

    /// Business events only a provider's webhook tells of (beside the entity events syncs derive).
    public static let providerTypes: [(String, String)] = [
        ("dispute.created", "A payment provider reported a dispute (a chargeback or buyer claim) opened against a payment.")
    ]

    /// The catalog sorted by type; a type both the product and syncs produce is listed once, as the product's.
    public let types: [EventType]
    private let byName: [String: EventType]

    public init(registry: ConnectorRegistry = .standard) {
        var byName: [String: EventType] = [:]
        for (type, description) in Self.hubTypes {
            byName[type] = EventType(type: type, source: .hub, description: description)
        }
        for (type, description) in Self.providerTypes {
            byName[type] = EventType(type: type, source: .entity, description: description)
        }
        // Only entities a connector really pulls produce events (see `ProviderDefinition.implemented(by:)`).
        let syncing = registry.definitions.filter { $0.capabilities.contains(.sync) }
        for entity in Set(syncing.flatMap { $0.entities.map(\.name) }) {
            for type in EntityEvents.types(entity: entity) where byName[type] == nil {
                byName[type] = EventType(type: type, source: .entity, description: "A synced \(EntityEvents.subject(of: entity)) record changed.")
            }
        }
        for type in Self.productTypes {
            byName[type] = EventType(type: type, source: .product, description: "Published by the accounting product.")
        }
        self.byName = byName
        self.types = byName.values.sorted { $0.type < $1.type }
    }

    public func type(named name: String) -> EventType? {
        byName[name]
    }

    /// Whether the accounting product may publish `name` (any catalog type but the hub's own).
    public func isPublishable(_ name: String) -> Bool {
        guard let type = byName[name] else { return false }
        return type.source != .hub
    }
}

/// Names the hub itself uses.
public enum WebhookEventTypes {
    public static let endpointDisabled = "webhook_endpoint.disabled"
    /// What `POST …/subscriptions/{id}/test` sends; not in the catalog, so nobody subscribes to it.
    public static let test = "webhook.test"
}
