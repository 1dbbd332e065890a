import HubCore

/// Fulfillment through fulfillment orders, as current API versions require: each order gets one
/// fulfillment order at the first location; `POST fulfillments.json` fulfills some or all of its
/// line items, closes it when nothing is left, and marks the order fulfilled.
extension ShopifyShop {
    mutating func openFulfillmentOrder(for order: JSONObject, at: Int64) {
        guard let orderID = order["id"]?.int64 else { return }
        let id = allocateID()
        let time = JSONValue.string(ShopifyTimestamp.string(at))
        var lines: [JSONValue] = []
        for line in (order["line_items"]?.arrayValue ?? []).compactMap(\.objectValue) {
            var entry: JSONObject = ["id": .int(allocateID()), "fulfillment_order_id": .int(id)]
            entry["line_item_id"] = line["id"] ?? .null
            entry["inventory_item_id"] = line["inventory_item_id"] ?? .null
            entry["variant_id"] = line["variant_id"] ?? .null
            entry["quantity"] = line["quantity"] ?? 0
            entry["fulfillable_quantity"] = line["quantity"] ?? 0
            entry["shop_id"] = info["id"] ?? .null
            lines.append(.object(entry))
        }
        let fulfillmentOrder: JSONObject = [
            "id": .int(id), "order_id": .int(orderID), "shop_id": info["id"] ?? .null, "status": .string("open"),
            "request_status": .string("unsubmitted"), "assigned_location_id": self[.locations].ids.first.map { .int($0) } ?? .null,
            "line_items": .array(lines), "supported_actions": .array(["create_fulfillment"]), "created_at": time, "updated_at": time,
        ]
        store(.fulfillmentOrders, id, fulfillmentOrder, at: at)
        fulfillmentOrderIDs[orderID, default: []].append(id)
    }

    func fulfillmentOrders(of orderID: Int64) throws(ShopifyAPIError) -> [JSONObject] {
        _ = try object(.orders, orderID)
        return fulfillmentOrderIDs(of: orderID).compactMap { self[.fulfillmentOrders][$0] }
    }

    mutating func createFulfillment(_ fields: JSONObject, at: Int64) throws(ShopifyAPIError) -> (JSONObject, [ShopifyEvent]) {
        guard let requests = fields["line_items_by_fulfillment_order"]?.arrayValue?.compactMap(\.objectValue), !requests.isEmpty else {
            throw .invalid("line_items_by_fulfillment_order", "can't be blank")
        }
        var orderID: Int64?
        var fulfilled: [Int64: Int64] = [:]
        var changedOrders: [(Int64, JSONObject)] = []
        for request in requests {
            guard let foID = request["fulfillment_order_id"]?.int64, var fo = self[.fulfillmentOrders][foID] else {
                throw .invalid("fulfillment_order_id", "is invalid")
            }
            guard fo["status"]?.stringValue == "open" else { throw .invalid("fulfillment_order", "is not in an open state") }
            guard orderID == nil || orderID == fo["order_id"]?.int64 else {
                throw .invalid("line_items_by_fulfillment_order", "must belong to the same order")
            }
            orderID = fo["order_id"]?.int64
            let wanted = request["fulfillment_order_line_items"]?.arrayValue?.compactMap(\.objectValue)
            var lines = (fo["line_items"]?.arrayValue ?? []).compactMap(\.objectValue)
            for index in lines.indices {
                let available = lines[index]["fulfillable_quantity"]?.int64 ?? 0
                let quantity: Int64
                if let wanted {
                    guard let match = wanted.first(where: { $0["id"]?.int64 == lines[index]["id"]?.int64 }) else { continue }
                    quantity = match["quantity"]?.int64 ?? available
                    guard quantity <= available else { throw .invalid("fulfillment_order_line_items", "quantity exceeds fulfillable quantity") }
                } else {
                    quantity = available
                }
                lines[index]["fulfillable_quantity"] = .int(available - quantity)
                if let lineItemID = lines[index]["line_item_id"]?.int64 { fulfilled[lineItemID, default: 0] += quantity }
            }
            fo["line_items"] = .array(lines.map(JSONValue.object))
            if lines.allSatisfy({ ($0["fulfillable_quantity"]?.int64 ?? 0) == 0 }) { fo["status"] = .string("closed") }
            fo["updated_at"] = .string(ShopifyTimestamp.string(at))
            changedOrders.append((foID, fo))
        }
        guard let orderID, var order = self[.orders][orderID] else { throw .invalid("fulfillment_order_id", "is invalid") }
        for (foID, fo) in changedOrders { store(.fulfillmentOrders, foID, fo, at: at) }

        let id = allocateID()
        let tracking = fields["tracking_info"]?.objectValue ?? [:]
        let time = JSONValue.string(ShopifyTimestamp.string(at))
        var orderLines = (order["line_items"]?.arrayValue ?? []).compactMap(\.objectValue)
        var fulfillmentLines: [JSONValue] = []
        for index in orderLines.indices {
            guard let lineID = orderLines[index]["id"]?.int64, let quantity = fulfilled[lineID], quantity > 0 else { continue }
            let remaining = (orderLines[index]["fulfillable_quantity"]?.int64 ?? 0) - quantity
            orderLines[index]["fulfillable_quantity"] = .int(remaining)
            orderLines[index]["fulfillment_status"] = .string(remaining == 0 ? "fulfilled" : "partial")
            var line = orderLines[index]
            line["quantity"] = .int(quantity)
            fulfillmentLines.append(.object(line))
        }
        let count = (order["fulfillments"]?.arrayValue?.count ?? 0) + 1
        let fulfillment: JSONObject = [
            "id": .int(id), "order_id": .int(orderID), "status": .string("success"), "service": .string("manual"),
            "name": .string("\(order["name"]?.stringValue ?? "#\(orderID)").\(count)"), "shipment_status": .null,
            "location_id": self[.locations].ids.first.map { .int($0) } ?? .null,
            "tracking_company": tracking["company"] ?? .null, "tracking_number": tracking["number"] ?? .null,
            "tracking_numbers": .array(tracking["number"].map { [$0] } ?? []), "tracking_url": tracking["url"] ?? .null,
            "tracking_urls": .array(tracking["url"].map { [$0] } ?? []), "line_items": .array(fulfillmentLines),
            "notify_customer": fields["notify_customer"] ?? false, "created_at": time, "updated_at": time,
            "admin_graphql_api_id": Self.graphQLID("Fulfillment", id),
        ]
        store(.fulfillments, id, fulfillment, at: at)
        order["line_items"] = .array(orderLines.map(JSONValue.object))
        order["fulfillments"] = .array((order["fulfillments"]?.arrayValue ?? []) + [.object(fulfillment)])
        let done = orderLines.allSatisfy { ($0["fulfillable_quantity"]?.int64 ?? 0) == 0 }
        order["fulfillment_status"] = .string(done ? "fulfilled" : "partial")
        order["updated_at"] = time
        store(.orders, orderID, order, at: at)
        var events = [ShopifyEvent(topic: "fulfillments/create", payload: fulfillment), ShopifyEvent(topic: "orders/updated", payload: order)]
        if done { events.append(ShopifyEvent(topic: "orders/fulfilled", payload: order)) }
        return (fulfillment, events)
    }
}
