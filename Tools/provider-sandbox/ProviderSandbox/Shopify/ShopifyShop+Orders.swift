import HubCore

/// Orders: numbered from #1001, priced from their line items (decimal strings), each with one
/// fulfillment order assigned to the first location.
extension ShopifyShop {
    static let protectedOrderFields: Set<String> = [
        "id", "name", "order_number", "number", "line_items", "fulfillments", "created_at", "updated_at", "admin_graphql_api_id",
        "subtotal_price", "total_price", "total_line_items_price", "customer",
    ]

    mutating func createOrder(_ fields: JSONObject, at: Int64) throws(ShopifyAPIError) -> (JSONObject, [ShopifyEvent]) {
        guard let requested = fields["line_items"]?.arrayValue?.compactMap(\.objectValue), !requested.isEmpty else {
            throw .invalid("line_items", "must have at least one line item")
        }
        let id = allocateID()
        var lineItems: [JSONObject] = []
        var subtotal = 0.0
        for item in requested {
            let line = try lineItem(item)
            subtotal += (line["price"]?.decimal ?? 0) * Double(line["quantity"]?.int64 ?? 0)
            lineItems.append(line)
        }
        let tax = fields["total_tax"]?.decimal ?? 0
        let number = nextOrderNumber
        nextOrderNumber += 1
        let time = JSONValue.string(ShopifyTimestamp.string(at))
        var order: JSONObject = [
            "email": .null, "phone": .null, "note": .null, "tags": .string(""), "currency": .string("USD"),
            "financial_status": .string("paid"), "fulfillment_status": .null, "cancelled_at": .null, "cancel_reason": .null,
            "closed_at": .null, "billing_address": .null, "shipping_address": .null, "total_discounts": .money(0),
            "processed_at": time, "source_name": .string("api"), "test": false, "customer": .null,
        ]
        Self.merge(fields, into: &order, except: Self.protectedOrderFields)
        order["id"] = .int(id)
        order["name"] = .string("#\(number)")
        order["number"] = .int(number - 1000)
        order["order_number"] = .int(number)
        order["line_items"] = .array(lineItems.map(JSONValue.object))
        order["fulfillments"] = .array([])
        order["subtotal_price"] = .money(subtotal)
        order["total_line_items_price"] = .money(subtotal)
        order["total_tax"] = .money(tax)
        order["total_price"] = .money(subtotal + tax)
        order["created_at"] = time
        order["updated_at"] = time
        order["admin_graphql_api_id"] = Self.graphQLID("Order", id)
        if let customerID = fields["customer"]?.objectValue?["id"]?.int64 ?? fields["customer_id"]?.int64 {
            guard let customer = self[.customers][customerID] else { throw .invalid("customer", "is invalid") }
            order["customer"] = .object(customer)
            if order["email"]?.isBlank ?? true { order["email"] = customer["email"] ?? .null }
        }
        store(.orders, id, order, at: at)
        openFulfillmentOrder(for: order, at: at)
        return (order, [ShopifyEvent(topic: "orders/create", payload: order)])
    }

    mutating func updateOrder(_ id: Int64, _ fields: JSONObject, at: Int64) throws(ShopifyAPIError) -> (JSONObject, [ShopifyEvent]) {
        var order = try object(.orders, id)
        Self.merge(fields, into: &order, except: Self.protectedOrderFields)
        order["updated_at"] = .string(ShopifyTimestamp.string(at))
        store(.orders, id, order, at: at)
        return (order, [ShopifyEvent(topic: "orders/updated", payload: order)])
    }

    mutating func deleteOrder(_ id: Int64) throws(ShopifyAPIError) -> [ShopifyEvent] {
        _ = try object(.orders, id)
        for fulfillmentOrder in fulfillmentOrderIDs(of: id) { discard(.fulfillmentOrders, fulfillmentOrder) }
        fulfillmentOrderIDs.removeValue(forKey: id)
        discard(.orders, id)
        return [ShopifyEvent(topic: "orders/delete", payload: ["id": .int(id)])]
    }

    /// Whether an order passes the `status` filter (`open` by default, `closed`, `cancelled`, `any`).
    static func order(_ order: JSONObject, hasStatus status: String) -> Bool {
        let closed = !(order["closed_at"]?.isBlank ?? true)
        let cancelled = !(order["cancelled_at"]?.isBlank ?? true)
        switch status {
        case "any": return true
        case "closed": return closed
        case "cancelled": return cancelled
        default: return !closed && !cancelled
        }
    }

    /// A line item from a variant (`variant_id`, `quantity`) or a custom item (`title`, `price`).
    private mutating func lineItem(_ fields: JSONObject) throws(ShopifyAPIError) -> JSONObject {
        let quantity = fields["quantity"]?.int64 ?? 1
        guard quantity > 0 else { throw .invalid("line_items", "quantity must be greater than 0") }
        var line: JSONObject = [
            "id": .int(allocateID()), "quantity": .int(quantity), "fulfillable_quantity": .int(quantity), "fulfillment_status": .null,
            "variant_id": .null, "product_id": .null, "sku": .string(""), "taxable": true, "requires_shipping": true,
        ]
        if let variantID = fields["variant_id"]?.int64 {
            guard let (product, variant) = variant(variantID) else { throw .invalid("line_items", "variant \(variantID) does not exist") }
            line["variant_id"] = .int(variantID)
            line["product_id"] = product["id"] ?? .null
            line["title"] = product["title"] ?? .null
            line["variant_title"] = variant["title"] ?? .null
            line["sku"] = variant["sku"] ?? .string("")
            line["price"] = fields["price"]?.decimal.map(JSONValue.money) ?? variant["price"] ?? .money(0)
            line["inventory_item_id"] = variant["inventory_item_id"] ?? .null
        } else {
            guard let title = fields["title"], !title.isBlank else { throw .invalid("line_items", "title can't be blank") }
            line["title"] = title
            line["price"] = .money(fields["price"]?.decimal ?? 0)
        }
        line["name"] = line["title"] ?? .null
        return line
    }

    private func variant(_ id: Int64) -> (JSONObject, JSONObject)? {
        guard let productID = productID(ofVariant: id), let product = self[.products][productID],
            let variant = product["variants"]?.arrayValue?.compactMap(\.objectValue).first(where: { $0["id"]?.int64 == id })
        else { return nil }
        return (product, variant)
    }
}
