/// The Admin REST resources the emulation serves, with the names Shopify uses on the wire: the
/// plural for paths and list bodies, the singular for one object's body and webhook topics.
/// Spelled out, never derived (`addresses` is not `addresse`).
enum ShopifyResource: String, CaseIterable, Sendable {
    case products
    case customers
    case orders
    case locations
    case inventoryLevels = "inventory_levels"
    case fulfillmentOrders = "fulfillment_orders"
    case fulfillments
    case webhooks

    var singular: String {
        switch self {
        case .products: "product"
        case .customers: "customer"
        case .orders: "order"
        case .locations: "location"
        case .inventoryLevels: "inventory_level"
        case .fulfillmentOrders: "fulfillment_order"
        case .fulfillments: "fulfillment"
        case .webhooks: "webhook"
        }
    }

    /// Resources with the plain `GET/POST {plural}.json`, `GET/PUT/DELETE {plural}/{id}.json` routes.
    static let crud: [ShopifyResource] = [.products, .customers, .orders, .webhooks]
}
