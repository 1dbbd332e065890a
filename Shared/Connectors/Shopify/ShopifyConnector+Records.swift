import HubCore

/// Reading and writing single objects. Bodies are wrapped in the entity's singular name
/// (`{"product": {…}}`); inventory levels are changed through `inventory_levels/set.json` or
/// `adjust.json`, fulfillments created through fulfillment orders.
extension ShopifyConnector: DataConnector {
    /// Each shop is its own host.
    public static let apiBaseURL = "https://{shop}"

    public func testConnection() async throws(ConnectorError) -> ConnectionCheck {
        let (json, _) = try await call(.GET, "shop.json", entity: "shop")
        let shop = try Self.unwrap(json, "shop")
        let domain: String? = if case .string(let value)? = shop["myshopify_domain"] { value } else { nil }
        let name: String? = if case .string(let value)? = shop["name"] { value } else { nil }
        return ConnectionCheck(accountID: domain ?? context.credentials["shop_domain"], accountName: name)
    }

    public func get(_ entity: String, id: String) async throws(ConnectorError) -> ProviderRecord {
        _ = try entityDefinition(entity, allowing: .read)
        switch entity {
        case "inventory_levels":
            guard let level = ShopifyWire.splitLevelID(id) else { throw .notFound(entity: entity, id: id) }
            let (json, _) = try await call(
                .GET,
                "inventory_levels.json",
                query: [("inventory_item_ids", level.item), ("location_ids", level.location)],
                entity: entity,
                id: id
            )
            guard let first = try Self.records(json, entity: entity).first else { throw .notFound(entity: entity, id: id) }
            return first
        case "fulfillments":
            throw .unsupported("Shopify reads a fulfillment through its order: use fulfillment(orderID:id:) or list fulfillments")
        default:
            let singular = try Self.singular(entity)
            let (json, _) = try await call(.GET, "\(entity)/\(try Self.pathID(id, entity)).json", entity: entity, id: id)
            return Self.record(try Self.unwrap(json, singular))
        }
    }

    /// Shopify honours no idempotency key on REST creates, so a create is sent once and never
    /// retried after a failure that may have reached Shopify (`createsAreRepeatable`, which the
    /// sync engine's own retries heed too); `idempotencyKey` is not sent.
    public static var createsAreRepeatable: Bool { false }

    public func create(_ entity: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        _ = try entityDefinition(entity, allowing: .create)
        let singular = try Self.singular(entity)
        let (json, _) = try await call(.POST, "\(entity).json", body: .object([singular: fields]), entity: entity)
        return Self.record(try Self.unwrap(json, singular))
    }

    /// An update is a PUT of the changed fields (repeating it is harmless). For inventory levels
    /// the id is `<inventory_item_id>:<location_id>` and the fields `available` (set) or
    /// `available_adjustment` (adjust).
    public func update(_ entity: String, id: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        _ = try entityDefinition(entity, allowing: .update)
        if entity == "inventory_levels" {
            guard let level = ShopifyWire.splitLevelID(id) else { throw .notFound(entity: entity, id: id) }
            guard case .object(let values) = fields else { throw .validation(message: "fields must be an object", field: nil) }
            if let adjustment = values["available_adjustment"] {
                return try await adjustInventory(itemID: level.item, locationID: level.location, by: adjustment)
            }
            guard let available = values["available"] else {
                throw .validation(message: "set 'available' or 'available_adjustment'", field: "available")
            }
            return try await setInventory(itemID: level.item, locationID: level.location, available: available)
        }
        let singular = try Self.singular(entity)
        let (json, _) = try await call(
            .PUT,
            "\(entity)/\(try Self.pathID(id, entity)).json",
            body: .object([singular: fields]),
            entity: entity,
            id: id
        )
        return Self.record(try Self.unwrap(json, singular))
    }

    public func delete(_ entity: String, id: String) async throws(ConnectorError) {
        _ = try entityDefinition(entity, allowing: .delete)
        _ = try await call(.DELETE, "\(entity)/\(try Self.pathID(id, entity)).json", entity: entity, id: id)
    }

    static func singular(_ entity: String) throws(ConnectorError) -> String {
        guard let singular = ShopifyWire.singular(entity) else { throw .unsupported("Shopify has no '\(entity)'") }
        return singular
    }

    /// Shopify ids are integers; anything else would change the path, so it cannot exist.
    static func pathID(_ id: String, _ entity: String) throws(ConnectorError) -> String {
        guard Int64(id) != nil else { throw .notFound(entity: entity, id: id) }
        return id
    }
}
