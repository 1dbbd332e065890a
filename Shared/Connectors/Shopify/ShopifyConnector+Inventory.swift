import HubCore

/// Shopify-only operations the generic calls do not cover: inventory adjustment and fulfilling
/// an order through its fulfillment orders.
extension ShopifyConnector {
    /// Adds `delta` (negative to remove) to what is available of an item at a location.
    public func adjustInventory(itemID: String, locationID: String, by delta: JSONValue) async throws(ConnectorError) -> ProviderRecord {
        try await changeInventory(
            "inventory_levels/adjust.json",
            ["inventory_item_id": try Self.number(itemID), "location_id": try Self.number(locationID), "available_adjustment": delta]
        )
    }

    /// Sets what is available of an item at a location.
    public func setInventory(itemID: String, locationID: String, available: JSONValue) async throws(ConnectorError) -> ProviderRecord {
        try await changeInventory(
            "inventory_levels/set.json",
            ["inventory_item_id": try Self.number(itemID), "location_id": try Self.number(locationID), "available": available]
        )
    }

    /// The order's fulfillment orders (what is left to fulfil, and where).
    public func fulfillmentOrders(orderID: String) async throws(ConnectorError) -> [JSONValue] {
        let (json, _) = try await call(
            .GET,
            "orders/\(try Self.pathID(orderID, "orders"))/fulfillment_orders.json",
            entity: "fulfillment_orders",
            id: orderID
        )
        return try Self.objects(json, "fulfillment_orders").map(JSONValue.object)
    }

    /// Fulfils everything still open on an order, with optional tracking, the way current API
    /// versions require: through the order's open fulfillment orders.
    public func fulfillOrder(
        orderID: String,
        trackingNumber: String? = nil,
        trackingCompany: String? = nil,
        notifyCustomer: Bool = true
    ) async throws(ConnectorError) -> ProviderRecord {
        let open = try await fulfillmentOrders(orderID: orderID).compactMap { order -> JSONValue? in
            guard case .object(let fields) = order, fields["status"] == .string("open"), let id = fields["id"] else { return nil }
            return .object(["fulfillment_order_id": id])
        }
        guard !open.isEmpty else { throw .validation(message: "the order has nothing left to fulfil", field: "fulfillment_orders") }
        var fields: [String: JSONValue] = ["line_items_by_fulfillment_order": .array(open), "notify_customer": .bool(notifyCustomer)]
        if let trackingNumber {
            fields["tracking_info"] = .object(["number": .string(trackingNumber), "company": trackingCompany.map(JSONValue.string) ?? .null])
        }
        return try await create("fulfillments", fields: .object(fields), idempotencyKey: nil)
    }

    /// One fulfillment, read through its order.
    public func fulfillment(orderID: String, id: String) async throws(ConnectorError) -> ProviderRecord {
        let (json, _) = try await call(
            .GET,
            "orders/\(try Self.pathID(orderID, "orders"))/fulfillments/\(try Self.pathID(id, "fulfillments")).json",
            entity: "fulfillments",
            id: id
        )
        return Self.record(try Self.unwrap(json, "fulfillment"))
    }

    private func changeInventory(_ path: String, _ body: [String: JSONValue]) async throws(ConnectorError) -> ProviderRecord {
        let (json, _) = try await call(.POST, path, body: .object(body), entity: "inventory_levels")
        return Self.levelRecord(try Self.unwrap(json, "inventory_level"))
    }

    private static func number(_ id: String) throws(ConnectorError) -> JSONValue {
        guard let value = Int64(id) else { throw .validation(message: "'\(id)' is not a Shopify id", field: nil) }
        return .number(Double(value))
    }
}
