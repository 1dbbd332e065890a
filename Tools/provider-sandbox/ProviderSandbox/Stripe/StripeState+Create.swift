import HubCore

/// `POST /v1/<resource>`: one builder per kind, validating as Stripe does and recording
/// `<kind>.created`.
extension StripeState {
    mutating func create(_ resource: StripeResource, params: JSONObject) throws(StripeAPIError) -> JSONObject {
        switch resource {
        case .customers: return try createCustomer(params)
        case .products: return try createProduct(params)
        case .prices: return try createPrice(params)
        case .invoices: return try createInvoice(params)
        case .invoiceItems: return try createInvoiceItem(params)
        case .paymentIntents: return try createPaymentIntent(params)
        case .subscriptions: return try createSubscription(params)
        default: throw .unrecognizedURL("POST", path: "/v1/\(resource.path)")
        }
    }

    mutating func createCustomer(_ params: JSONObject) throws(StripeAPIError) -> JSONObject {
        var fields = StripeTemplates.customer(id: newID(.customers), created: now)
        try StripeParameters.apply(params, to: &fields, allowed: StripeResource.customers.updatable)
        insert(.customers, fields)
        emit("customer.created", fields)
        return fields
    }

    mutating func createProduct(_ params: JSONObject) throws(StripeAPIError) -> JSONObject {
        let name = try StripeParameters.requiredString(params, "name")
        var fields = StripeTemplates.product(id: params["id"]?.stringValue ?? newID(.products), created: now, name: name)
        guard stored(.products, fields["id"]?.stringValue ?? "") == nil else {
            throw .invalid("Product already exists.", param: "id", code: "resource_already_exists")
        }
        var rest = params
        rest["id"] = nil
        try StripeParameters.apply(rest, to: &fields, allowed: StripeResource.products.updatable)
        insert(.products, fields)
        emit("product.created", fields)
        return fields
    }

    mutating func createPrice(_ params: JSONObject) throws(StripeAPIError) -> JSONObject {
        let currency = try StripeParameters.currency(params)
        var rest = params
        let product: JSONObject
        if let productID = params["product"]?.stringValue {
            product = try require(.products, productID, param: "product")
        } else if let productData = params["product_data"]?.objectValue {
            product = try createProduct(productData)
            rest["product_data"] = nil
        } else {
            throw .missingParameter("product")
        }
        let unitAmount = try params["unit_amount"].map { value throws(StripeAPIError) in try StripeParameters.integer(value, "unit_amount") }
        guard unitAmount != nil || params["custom_unit_amount"] != nil else { throw .missingParameter("unit_amount") }
        var fields = StripeTemplates.price(
            id: newID(.prices),
            created: now,
            product: product["id"]?.stringValue ?? "",
            currency: currency,
            unitAmount: unitAmount
        )
        for key in ["currency", "product", "unit_amount", "custom_unit_amount"] { rest[key] = nil }
        if let recurring = rest["recurring"] {
            guard let interval = recurring["interval"]?.stringValue, ["day", "week", "month", "year"].contains(interval) else {
                throw .missingParameter("recurring[interval]")
            }
            fields["recurring"] = [
                "interval": .string(interval), "interval_count": .int(recurring["interval_count"]?.integer ?? 1),
                "usage_type": "licensed",
            ]
            fields["type"] = "recurring"
            rest["recurring"] = nil
        }
        try StripeParameters.apply(rest, to: &fields, allowed: StripeResource.prices.updatable)
        insert(.prices, fields)
        emit("price.created", fields)
        return fields
    }

    mutating func createInvoice(_ params: JSONObject) throws(StripeAPIError) -> JSONObject {
        let customer = try require(.customers, try StripeParameters.requiredString(params, "customer"), param: "customer")
        let currency = params["currency"] != nil ? try StripeParameters.currency(params) : "usd"
        var fields = StripeTemplates.invoice(id: newID(.invoices), created: now, customer: customer, currency: currency)
        var rest = params
        for key in ["customer", "currency", "pending_invoice_items_behavior"] { rest[key] = nil }
        try StripeParameters.apply(rest, to: &fields, allowed: StripeResource.invoices.updatable)
        if fields["collection_method"]?.stringValue == "send_invoice", fields["due_date"] == .null,
            fields["days_until_due"] == .null
        {
            fields["days_until_due"] = 30
        }
        insert(.invoices, fields)
        emit("invoice.created", fields)
        return fields
    }

    /// An invoice item, added as a line to its draft invoice when it names one.
    mutating func createInvoiceItem(_ params: JSONObject) throws(StripeAPIError) -> JSONObject {
        let customerID = try StripeParameters.requiredString(params, "customer")
        _ = try require(.customers, customerID, param: "customer")
        var rest = params
        var amount: Int
        var currency = "usd"
        var price: JSONObject?
        if let priceID = params["price"]?.stringValue {
            let found = try require(.prices, priceID, param: "price")
            price = found
            amount = (found["unit_amount"]?.integer ?? 0) * (params["quantity"]?.integer ?? 1)
            currency = found["currency"]?.stringValue ?? currency
        } else {
            amount = try StripeParameters.integer(params["amount"], "amount")
            currency = try StripeParameters.currency(params)
        }
        let invoiceID = params["invoice"]?.stringValue
        var invoice: JSONObject?
        if let invoiceID {
            let found = try require(.invoices, invoiceID, param: "invoice")
            guard found["status"]?.stringValue == "draft" else {
                throw .invalid("You can only add invoice items to draft invoices.", param: "invoice", code: "invoice_not_editable")
            }
            invoice = found
        }
        for key in ["customer", "price", "amount", "currency", "invoice"] { rest[key] = nil }
        var fields = StripeTemplates.invoiceItem(
            id: newID(.invoiceItems),
            created: now,
            customer: customerID,
            invoice: invoiceID,
            amount: amount,
            currency: currency
        )
        if let price { fields["price"] = .object(price) }
        try StripeParameters.apply(rest, to: &fields, allowed: StripeResource.invoiceItems.updatable)
        if let quantity = fields["quantity"]?.integer, price == nil { fields["amount"] = .int(amount * quantity) }
        insert(.invoiceItems, fields)
        emit("invoiceitem.created", fields)
        if var invoice, let invoiceID {
            let previous: JSONObject = ["amount_due": invoice["amount_due"] ?? 0, "total": invoice["total"] ?? 0]
            Self.appendLine(StripeTemplates.line(for: fields, invoice: invoiceID), to: &invoice)
            replace(.invoices, invoice)
            emit("invoice.updated", invoice, previous: previous)
        }
        return fields
    }

    mutating func createPaymentIntent(_ params: JSONObject) throws(StripeAPIError) -> JSONObject {
        let amount = try StripeParameters.integer(params["amount"], "amount")
        guard amount >= 1 else {
            throw .invalid("This value must be greater than or equal to 1.", param: "amount", code: "parameter_invalid_integer")
        }
        let currency = try StripeParameters.currency(params)
        let id = newID(.paymentIntents)
        var fields = StripeTemplates.paymentIntent(id: id, created: now, amount: amount, currency: currency, secret: random.stripeToken(24))
        if let customer = params["customer"]?.stringValue { _ = try require(.customers, customer, param: "customer") }
        var rest = params
        let confirm = try params["confirm"].map { value throws(StripeAPIError) in try StripeParameters.boolean(value, "confirm") } ?? false
        for key in ["amount", "currency", "confirm", "automatic_payment_methods", "payment_method_types", "capture_method", "return_url"] {
            rest[key] = nil
        }
        if let types = params["payment_method_types"] { fields["payment_method_types"] = types }
        if let automatic = params["automatic_payment_methods"]?["enabled"]?.formBool {
            fields["automatic_payment_methods"] = ["enabled": .bool(automatic)]
        }
        try StripeParameters.apply(rest, to: &fields, allowed: StripeResource.paymentIntents.updatable)
        if fields["payment_method"] != .null { fields["status"] = "requires_confirmation" }
        insert(.paymentIntents, fields)
        emit("payment_intent.created", fields)
        return confirm ? try confirmPaymentIntent(id, params: [:]) : fields
    }

    mutating func createSubscription(_ params: JSONObject) throws(StripeAPIError) -> JSONObject {
        let customer = try StripeParameters.requiredString(params, "customer")
        _ = try require(.customers, customer, param: "customer")
        guard let items = params["items"]?.arrayValue, !items.isEmpty else { throw .missingParameter("items") }
        var lines: [JSONValue] = []
        var currency = "usd"
        for (index, item) in items.enumerated() {
            guard let priceID = item["price"]?.stringValue else { throw .missingParameter("items[\(index)][price]") }
            let price = try require(.prices, priceID, param: "items[\(index)][price]")
            guard price["type"]?.stringValue == "recurring" else {
                throw .invalid(
                    "The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.",
                    param: "items[\(index)][price]"
                )
            }
            currency = price["currency"]?.stringValue ?? currency
            lines.append([
                "id": .string(newID(prefix: "si")), "object": "subscription_item", "created": .int(now), "metadata": [:],
                "price": .object(price), "quantity": .int(item["quantity"]?.integer ?? 1),
            ])
        }
        var fields = StripeTemplates.subscription(id: newID(.subscriptions), created: now, customer: customer, items: lines, currency: currency)
        var rest = params
        for key in ["customer", "items", "payment_behavior"] { rest[key] = nil }
        try StripeParameters.apply(rest, to: &fields, allowed: StripeResource.subscriptions.updatable)
        insert(.subscriptions, fields)
        emit("customer.subscription.created", fields)
        return fields
    }
}
