/// Shopify's Admin REST resources in the hub's canonical shapes. Ids are numbers (canonical ids
/// are text), prices are decimal strings in the shop's currency (`"19.99"` → 1999; only read,
/// never written back), and timestamps carry the shop's UTC offset (normalized to UTC).
/// Products carry no currency, so their price assumes two decimals: a shop selling in JPY or
/// KWD overrides the `price` rule with its exponent.
extension ShopifyConnector {
    public static var defaultFieldMappings: [String: FieldMapping] { ShopifyMappings.all }
}

enum ShopifyMappings {
    static let all: [String: FieldMapping] = [
        "products": products, "orders": orders, "customers": customers, "inventory_levels": inventoryLevels,
        "locations": locations, "fulfillments": fulfillments,
    ]

    private static let id = FieldRule.readOnly("id", "id", .toString)
    private static let createdAt = FieldRule.readOnly("created_at", "created_at", .isoToUTC)
    private static let updatedAt = FieldRule.readOnly("updated_at", "updated_at", .isoToUTC)

    /// A decimal-string amount in the record's `currency`, read only.
    private static func money(_ target: String, _ source: String) -> FieldRule {
        .readOnly(target, source, .decimalToMinor(currencyPath: "currency"))
    }

    /// Shopify's address (`address1`, `province_code`, `zip`, …) as the canonical address; the
    /// fields sit in the object `source`, or at the top level when it is nil (locations).
    private static func address(_ target: String, in source: String?, direction: FieldRule.Direction) -> [FieldRule] {
        [
            ("line1", "address1"), ("line2", "address2"), ("city", "city"), ("region", "province_code"), ("postal_code", "zip"),
            ("country", "country_code"),
        ].map { canonical, shopify in
            FieldRule(target: "\(target).\(canonical)", source: source.map { "\($0).\(shopify)" } ?? shopify, direction: direction)
        }
    }

    static let products = FieldMapping(rules: [
        id,
        .field("name", "title"),
        .field("description", "body_html"),
        .field("vendor", "vendor"),
        .field("type", "product_type"),
        // Archived and draft products are both not for sale; the two cannot be told apart on the way back.
        .field("active", "status", .lookup(["active": true, "archived": false, "draft": false])),
        .field("tags", "tags"),
        // Variants are written whole through the product; single fields of them are only read.
        .readOnly("sku", "variants[0].sku"),
        .readOnly("skus", "variants[].sku"),
        .readOnly("price", "variants[0].price", .decimalToMinor(exponent: 2)),
        .readOnly("images", "images"),
        createdAt,
        updatedAt,
    ])

    static let orders = FieldMapping(
        rules: [
            id,
            .readOnly("name", "name"),
            .readOnly("order_number", "order_number"),
            .field("customer_id", "customer.id", .toString),
            .field("email", "email"),
            .field("phone", "phone"),
            .field("currency", "currency", .upper),
            .field("financial_status", "financial_status"),
            .field("fulfillment_status", "fulfillment_status"),
            money("subtotal", "subtotal_price"),
            money("tax", "total_tax"),
            money("discounts", "total_discounts"),
            money("total", "total_price"),
            .field("line_items", "line_items"),
            .readOnly("skus", "line_items[].sku"),
        ] + address("billing_address", in: "billing_address", direction: .both)
            + address("shipping_address", in: "shipping_address", direction: .both)
            + [
                .field("note", "note"),
                .field("tags", "tags"),
                .field("processed_at", "processed_at", .isoToUTC),
                .readOnly("cancelled_at", "cancelled_at", .isoToUTC),
                .readOnly("closed_at", "closed_at", .isoToUTC),
                createdAt,
                updatedAt,
            ]
    )

    static let customers = FieldMapping(
        rules: [
            id,
            .field("first_name", "first_name"),
            .field("last_name", "last_name"),
            .field("email", "email"),
            .field("phone", "phone"),
            .field("note", "note"),
            .field("tags", "tags"),
            .field("tax_exempt", "tax_exempt"),
            .readOnly("currency", "currency", .upper),
            .readOnly("orders_count", "orders_count"),
            money("total_spent", "total_spent"),
        ] + address("address", in: "default_address", direction: .pull) + [createdAt, updatedAt]
    )

    static let inventoryLevels = FieldMapping(rules: [
        .readOnly("inventory_item_id", "inventory_item_id", .toString),
        .readOnly("location_id", "location_id", .toString),
        .field("available", "available"),
        updatedAt,
    ])

    static let locations = FieldMapping(
        rules: [id, .readOnly("name", "name")] + address("address", in: nil, direction: .pull) + [
            .readOnly("phone", "phone"),
            .readOnly("active", "active"),
            createdAt,
            updatedAt,
        ]
    )

    static let fulfillments = FieldMapping(rules: [
        id,
        .readOnly("order_id", "order_id", .toString),
        .readOnly("status", "status"),
        .readOnly("shipment_status", "shipment_status"),
        .readOnly("tracking_company", "tracking_company"),
        .readOnly("tracking_numbers", "tracking_numbers"),
        .readOnly("tracking_urls", "tracking_urls"),
        .readOnly("line_items", "line_items"),
        .readOnly("location_id", "location_id", .toString),
        .field("notify_customer", "notify_customer"),
        createdAt,
        updatedAt,
    ])
}
