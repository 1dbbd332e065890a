/// How the hub's Shopify entities appear on the wire: the resource path and the singular name
/// that wraps one object in request and response bodies. Spelled out per entity, never derived
/// from the plural (`addresses` would not become `addresse`).
enum ShopifyWire {
    static func singular(_ entity: String) -> String? {
        switch entity {
        case "products": "product"
        case "customers": "customer"
        case "orders": "order"
        case "locations": "location"
        case "inventory_levels": "inventory_level"
        case "fulfillments": "fulfillment"
        default: nil
        }
    }

    /// The external id of an inventory level, which Shopify identifies by item and location.
    static func levelID(item: String, location: String) -> String {
        "\(item):\(location)"
    }

    static func splitLevelID(_ id: String) -> (item: String, location: String)? {
        let parts = id.split(separator: ":")
        guard parts.count == 2, Int64(parts[0]) != nil, Int64(parts[1]) != nil else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
