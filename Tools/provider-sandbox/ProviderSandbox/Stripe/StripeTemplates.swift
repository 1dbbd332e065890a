import HubCore

/// Stripe objects as a new one looks before parameters are applied: every field Stripe returns,
/// with its default. Seeding and the create calls both start from these, so seeded and created
/// objects have the same shape.
enum StripeTemplates {
    /// A customer's invoice numbers begin with the first eight characters of its id, uppercased.
    static func invoicePrefix(_ id: String) -> String {
        String(id.dropFirst(4).prefix(8)).uppercased()
    }

    static func customer(id: String, created: Int) -> JSONObject {
        [
            "id": .string(id), "object": "customer", "address": .null, "balance": 0, "created": .int(created), "currency": .null,
            "default_source": .null, "delinquent": false, "description": .null, "discount": .null, "email": .null,
            "invoice_prefix": .string(invoicePrefix(id)),
            "invoice_settings": ["custom_fields": .null, "default_payment_method": .null, "footer": .null], "livemode": false,
            "metadata": [:], "name": .null, "next_invoice_sequence": 1, "phone": .null, "preferred_locales": [], "shipping": .null,
            "tax_exempt": "none", "test_clock": .null,
        ]
    }

    static func product(id: String, created: Int, name: String) -> JSONObject {
        [
            "id": .string(id), "object": "product", "active": true, "created": .int(created), "default_price": .null,
            "description": .null, "images": [], "livemode": false, "metadata": [:], "name": .string(name),
            "package_dimensions": .null, "shippable": .null, "statement_descriptor": .null, "tax_code": .null, "unit_label": .null,
            "updated": .int(created), "url": .null,
        ]
    }

    static func price(id: String, created: Int, product: String, currency: String, unitAmount: Int?) -> JSONObject {
        [
            "id": .string(id), "object": "price", "active": true, "billing_scheme": "per_unit", "created": .int(created),
            "currency": .string(currency), "custom_unit_amount": .null, "livemode": false, "lookup_key": .null, "metadata": [:],
            "nickname": .null, "product": .string(product), "recurring": .null, "tax_behavior": "unspecified", "type": "one_time",
            "unit_amount": unitAmount.map { .int($0) } ?? .null,
            "unit_amount_decimal": unitAmount.map { .string(String($0)) } ?? .null,
        ]
    }

    static func invoice(id: String, created: Int, customer: JSONObject, currency: String) -> JSONObject {
        [
            "id": .string(id), "object": "invoice", "account_country": "US", "account_name": "Hub Sandbox",
            "amount_due": 0, "amount_paid": 0, "amount_remaining": 0, "attempt_count": 0, "attempted": false,
            "auto_advance": false, "billing_reason": "manual", "collection_method": "charge_automatically",
            "created": .int(created), "currency": .string(currency), "customer": customer["id"] ?? .null,
            "customer_email": customer["email"] ?? .null, "customer_name": customer["name"] ?? .null, "days_until_due": .null,
            "description": .null, "due_date": .null, "footer": .null, "hosted_invoice_url": .null, "invoice_pdf": .null,
            "lines": ["object": "list", "data": [], "has_more": false, "total_count": 0, "url": .string("/v1/invoices/\(id)/lines")],
            "livemode": false, "metadata": [:], "number": .null, "period_end": .int(created), "period_start": .int(created),
            "status": "draft",
            "status_transitions": ["finalized_at": .null, "marked_uncollectible_at": .null, "paid_at": .null, "voided_at": .null],
            "subscription": .null, "subtotal": 0, "total": 0, "webhooks_delivered_at": .null,
        ]
    }

    /// An invoice item and the invoice line it appears as.
    static func invoiceItem(id: String, created: Int, customer: String, invoice: String?, amount: Int, currency: String) -> JSONObject {
        [
            "id": .string(id), "object": "invoiceitem", "amount": .int(amount), "currency": .string(currency),
            "customer": .string(customer), "date": .int(created), "description": .null, "discountable": true,
            "invoice": .optional(invoice), "livemode": false, "metadata": [:],
            "period": ["end": .int(created), "start": .int(created)], "price": .null, "proration": false, "quantity": 1,
            "unit_amount": .int(amount), "unit_amount_decimal": .string(String(amount)),
        ]
    }

    static func line(for item: JSONObject, invoice: String) -> JSONObject {
        let itemID = item["id"]?.stringValue ?? ""
        return [
            "id": .string("il_" + itemID.dropFirst(3)), "object": "line_item", "amount": item["amount"] ?? 0,
            "currency": item["currency"] ?? "usd", "description": item["description"] ?? .null, "discountable": true,
            "invoice": .string(invoice), "invoice_item": .string(itemID), "livemode": false, "metadata": item["metadata"] ?? [:],
            "period": item["period"] ?? .null, "price": item["price"] ?? .null, "proration": false, "quantity": item["quantity"] ?? 1,
            "type": "invoiceitem",
        ]
    }

    static func paymentIntent(id: String, created: Int, amount: Int, currency: String, secret: String) -> JSONObject {
        [
            "id": .string(id), "object": "payment_intent", "amount": .int(amount), "amount_capturable": 0,
            "amount_received": 0, "automatic_payment_methods": .null, "canceled_at": .null, "cancellation_reason": .null,
            "capture_method": "automatic", "client_secret": .string("\(id)_secret_\(secret)"), "confirmation_method": "automatic",
            "created": .int(created), "currency": .string(currency), "customer": .null, "description": .null, "invoice": .null,
            "last_payment_error": .null, "latest_charge": .null, "livemode": false, "metadata": [:], "payment_method": .null,
            "payment_method_types": ["card"], "receipt_email": .null, "statement_descriptor": .null,
            "status": "requires_payment_method",
        ]
    }

    static func charge(id: String, created: Int, intent: JSONObject, succeeded: Bool, transaction: String?) -> JSONObject {
        let amount = intent["amount"]?.integer ?? 0
        return [
            "id": .string(id), "object": "charge", "amount": .int(amount), "amount_captured": .int(succeeded ? amount : 0),
            "amount_refunded": 0, "balance_transaction": .optional(transaction), "captured": .bool(succeeded),
            "created": .int(created), "currency": intent["currency"] ?? "usd", "customer": intent["customer"] ?? .null,
            "description": intent["description"] ?? .null, "disputed": false,
            "failure_code": succeeded ? .null : "card_declined",
            "failure_message": succeeded ? .null : "Your card was declined.", "livemode": false, "metadata": [:],
            "outcome": ["network_status": "approved_by_network", "type": succeeded ? "authorized" : "issuer_declined"],
            "paid": .bool(succeeded), "payment_intent": intent["id"] ?? .null, "payment_method": intent["payment_method"] ?? .null,
            "receipt_email": intent["receipt_email"] ?? .null, "refunded": false,
            "status": succeeded ? "succeeded" : "failed",
        ]
    }

    /// Stripe's US card pricing: 2.9% + 30¢.
    static func fee(for amount: Int) -> Int { (amount * 29 + 500) / 1000 + 30 }

    static func balanceTransaction(id: String, created: Int, amount: Int, currency: String, source: String, type: String) -> JSONObject {
        let fee = type == "charge" ? fee(for: amount) : 0
        return [
            "id": .string(id), "object": "balance_transaction", "amount": .int(amount), "available_on": .int(created + 2 * 86_400),
            "created": .int(created), "currency": .string(currency), "description": .null, "exchange_rate": .null, "fee": .int(fee),
            "fee_details": fee == 0
                ? [] : [["amount": .int(fee), "currency": .string(currency), "description": "Stripe processing fees", "type": "stripe_fee"]],
            "net": .int(amount - fee), "reporting_category": .string(type), "source": .string(source), "status": "available",
            "type": .string(type),
        ]
    }

    static func subscription(id: String, created: Int, customer: String, items: [JSONValue], currency: String) -> JSONObject {
        [
            "id": .string(id), "object": "subscription", "billing_cycle_anchor": .int(created), "cancel_at": .null,
            "cancel_at_period_end": false, "canceled_at": .null, "collection_method": "charge_automatically", "created": .int(created),
            "currency": .string(currency), "current_period_end": .int(created + 30 * 86_400), "current_period_start": .int(created),
            "customer": .string(customer), "default_payment_method": .null, "description": .null, "ended_at": .null,
            "items": [
                "object": "list", "data": .array(items), "has_more": false, "total_count": .int(items.count),
                "url": .string("/v1/subscription_items?subscription=\(id)"),
            ],
            "latest_invoice": .null, "livemode": false, "metadata": [:], "start_date": .int(created), "status": "active",
        ]
    }

    static func payout(id: String, created: Int, amount: Int, currency: String, transaction: String) -> JSONObject {
        [
            "id": .string(id), "object": "payout", "amount": .int(amount), "arrival_date": .int(created + 2 * 86_400),
            "automatic": true, "balance_transaction": .string(transaction), "created": .int(created),
            "currency": .string(currency), "description": "STRIPE PAYOUT", "destination": "ba_sandbox", "livemode": false,
            "metadata": [:], "method": "standard", "status": "paid", "type": "bank_account",
        ]
    }
}
