/// Shopify's entities under the hub's names (Admin REST resources, which already use plural
/// snake_case).
enum ShopifyEntities {
    static let all = [products, orders, customers, inventoryLevels, locations, fulfillments]

    static let products = EntityDefinition(
        name: "products",
        providerObject: "products",
        fields: [
            EntityField("id", .id, readOnly: true),
            EntityField("title", .string, required: true),
            EntityField("body_html", .string),
            EntityField("vendor", .string),
            EntityField("product_type", .string),
            EntityField("handle", .string),
            EntityField("status", .string, description: "active, archived or draft."),
            EntityField("tags", .string, description: "Comma-separated."),
            EntityField("variants", .array, description: "Each with id, price (decimal string), sku and inventory_item_id."),
            EntityField("options", .array),
            EntityField("images", .array),
            EntityField("published_at", .datetime),
            EntityField("created_at", .datetime, readOnly: true),
            EntityField("updated_at", .datetime, readOnly: true),
        ],
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let orders = EntityDefinition(
        name: "orders",
        providerObject: "orders",
        fields: [
            EntityField("id", .id, readOnly: true),
            EntityField("name", .string, readOnly: true, description: "The order's display name, e.g. #1001."),
            EntityField("order_number", .integer, readOnly: true),
            EntityField("line_items", .array, required: true),
            EntityField("email", .email),
            EntityField("phone", .string),
            EntityField("customer", .object),
            EntityField("currency", .currency),
            EntityField("financial_status", .string),
            EntityField("fulfillment_status", .string),
            EntityField("total_price", .decimal, readOnly: true),
            EntityField("subtotal_price", .decimal, readOnly: true),
            EntityField("total_tax", .decimal, readOnly: true),
            EntityField("total_discounts", .decimal, readOnly: true),
            EntityField("billing_address", .object),
            EntityField("shipping_address", .object),
            EntityField("note", .string),
            EntityField("tags", .string),
            EntityField("processed_at", .datetime),
            EntityField("cancelled_at", .datetime, readOnly: true),
            EntityField("closed_at", .datetime, readOnly: true),
            EntityField("created_at", .datetime, readOnly: true),
            EntityField("updated_at", .datetime, readOnly: true),
        ],
        // Updates are limited (note, tags, email, addresses, …); delete only for cancelled or closed orders.
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let customers = EntityDefinition(
        name: "customers",
        providerObject: "customers",
        fields: [
            EntityField("id", .id, readOnly: true),
            EntityField("email", .email),
            EntityField("first_name", .string),
            EntityField("last_name", .string),
            EntityField("phone", .string),
            EntityField("addresses", .array),
            EntityField("tags", .string),
            EntityField("note", .string),
            EntityField("tax_exempt", .boolean),
            EntityField("email_marketing_consent", .object),
            EntityField("verified_email", .boolean, readOnly: true),
            EntityField("state", .string, readOnly: true),
            EntityField("currency", .currency, readOnly: true),
            EntityField("orders_count", .integer, readOnly: true),
            EntityField("total_spent", .decimal, readOnly: true),
            EntityField("created_at", .datetime, readOnly: true),
            EntityField("updated_at", .datetime, readOnly: true),
        ],
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let inventoryLevels = EntityDefinition(
        name: "inventory_levels",
        providerObject: "inventory_levels",
        fields: [
            EntityField("inventory_item_id", .id, readOnly: true, description: "With location_id, identifies the level."),
            EntityField("location_id", .id, readOnly: true),
            EntityField("available", .integer),
            EntityField("updated_at", .datetime, readOnly: true),
        ],
        // Listing needs inventory_item_ids or location_ids; updates go through set.json / adjust.json.
        operations: [.read, .update],
        incremental: true
    )

    static let locations = EntityDefinition(
        name: "locations",
        providerObject: "locations",
        fields: [
            EntityField("id", .id, readOnly: true),
            EntityField("name", .string, readOnly: true),
            EntityField("address1", .string, readOnly: true),
            EntityField("address2", .string, readOnly: true),
            EntityField("city", .string, readOnly: true),
            EntityField("province", .string, readOnly: true),
            EntityField("country_code", .string, readOnly: true),
            EntityField("zip", .string, readOnly: true),
            EntityField("phone", .string, readOnly: true),
            EntityField("active", .boolean, readOnly: true),
            EntityField("created_at", .datetime, readOnly: true),
            EntityField("updated_at", .datetime, readOnly: true),
        ],
        operations: [.read],
        incremental: false
    )

    static let fulfillments = EntityDefinition(
        name: "fulfillments",
        providerObject: "fulfillments",
        fields: [
            EntityField("id", .id, readOnly: true),
            EntityField("order_id", .id, readOnly: true),
            EntityField(
                "line_items_by_fulfillment_order",
                .array,
                required: true,
                description: "Create only: the fulfillment orders (and their line items) being fulfilled."
            ),
            EntityField("tracking_info", .object, description: "Create only: company, number and url."),
            EntityField("notify_customer", .boolean),
            EntityField("status", .string, readOnly: true),
            EntityField("shipment_status", .string, readOnly: true),
            EntityField("tracking_company", .string, readOnly: true),
            EntityField("tracking_numbers", .array, readOnly: true),
            EntityField("tracking_urls", .array, readOnly: true),
            EntityField("line_items", .array, readOnly: true),
            EntityField("location_id", .id, readOnly: true),
            EntityField("created_at", .datetime, readOnly: true),
            EntityField("updated_at", .datetime, readOnly: true),
        ],
        // Created from fulfillment orders; listed per order, so it follows the orders sync.
        operations: [.read, .create],
        incremental: false
    )
}
