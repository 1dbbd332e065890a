/// Shops (Shopify): orders, stock and where it is kept, and fulfillments.
extension CanonicalSchema {
    static let commerceEntities = [orders, inventoryLevels, locations, fulfillments]

    static let orders = CanonicalEntity(
        name: "orders",
        fields: [
            .id,
            CanonicalField("name", .string, description: "The display name, e.g. #1001."),
            CanonicalField("order_number", .integer),
            .reference("customer_id"),
            CanonicalField("email", .email),
            CanonicalField("phone", .string),
            .currency,
            CanonicalField("financial_status", .string),
            CanonicalField("fulfillment_status", .string),
            .money("subtotal"),
            .money("tax"),
            .money("discounts"),
            .money("total"),
            CanonicalField("line_items", .array),
            CanonicalField("skus", .array, description: "Each line item's SKU, in order."),
            CanonicalField("billing_address", .object),
            CanonicalField("shipping_address", .object),
            CanonicalField("note", .string),
            CanonicalField("tags", .string, description: "Comma-separated."),
            CanonicalField("processed_at", .datetime),
            CanonicalField("cancelled_at", .datetime),
            CanonicalField("closed_at", .datetime),
            .createdAt,
            .updatedAt,
        ]
    )

    static let inventoryLevels = CanonicalEntity(
        name: "inventory_levels",
        fields: [
            // No id of its own: the item and the location identify a level.
            .reference("inventory_item_id", required: true),
            .reference("location_id", required: true),
            CanonicalField("available", .integer),
            .updatedAt,
        ]
    )

    static let locations = CanonicalEntity(
        name: "locations",
        fields: [
            .id,
            CanonicalField("name", .string),
            .address,
            CanonicalField("phone", .string),
            CanonicalField("active", .boolean),
            .createdAt,
            .updatedAt,
        ]
    )

    static let fulfillments = CanonicalEntity(
        name: "fulfillments",
        fields: [
            .id,
            .reference("order_id", required: true),
            CanonicalField("status", .string),
            CanonicalField("shipment_status", .string),
            CanonicalField("tracking_company", .string),
            CanonicalField("tracking_numbers", .array),
            CanonicalField("tracking_urls", .array),
            CanonicalField("line_items", .array),
            .reference("location_id"),
            CanonicalField("notify_customer", .boolean),
            .createdAt,
            .updatedAt,
        ]
    )
}
