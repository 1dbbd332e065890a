/// Stripe's entities under the hub's names. Money movements the hub only observes (charges, payouts,
/// balance transactions) are read-only even where Stripe would accept a write.
enum StripeEntities {
    static let all = [
        customers, invoices, payments, products, prices, subscriptions, charges, payouts, balanceTransactions,
    ]

    static let customers = EntityDefinition(
        name: "customers",
        providerObject: "customers",
        fields: [
            EntityField("id", .id, readOnly: true, description: "cus_…"),
            EntityField("email", .email),
            EntityField("name", .string),
            EntityField("phone", .string),
            EntityField("description", .string),
            EntityField("address", .object),
            EntityField("balance", .money, description: "Credit (negative) or debt applied to the next invoice."),
            EntityField("currency", .currency, readOnly: true),
            EntityField("invoice_prefix", .string),
            EntityField("tax_exempt", .string, description: "none, exempt or reverse."),
            EntityField("metadata", .object),
            EntityField("created", .datetime, readOnly: true),
        ],
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let invoices = EntityDefinition(
        name: "invoices",
        providerObject: "invoices",
        fields: [
            EntityField("id", .id, readOnly: true, description: "in_…"),
            EntityField("customer", .id, required: true),
            EntityField("number", .string, readOnly: true),
            EntityField("status", .string, readOnly: true, description: "draft, open, paid, uncollectible or void."),
            EntityField("currency", .currency),
            EntityField("collection_method", .string, description: "charge_automatically or send_invoice."),
            EntityField("due_date", .datetime),
            EntityField("description", .string),
            EntityField("subtotal", .money, readOnly: true),
            EntityField("total", .money, readOnly: true),
            EntityField("amount_due", .money, readOnly: true),
            EntityField("amount_paid", .money, readOnly: true),
            EntityField("amount_remaining", .money, readOnly: true),
            EntityField("lines", .array, readOnly: true, description: "Added through invoice items."),
            EntityField("hosted_invoice_url", .url, readOnly: true),
            EntityField("invoice_pdf", .url, readOnly: true),
            EntityField("metadata", .object),
            EntityField("created", .datetime, readOnly: true),
        ],
        // Delete applies to drafts only; finalized invoices are voided instead.
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let payments = EntityDefinition(
        name: "payments",
        providerObject: "payment_intents",
        fields: [
            EntityField("id", .id, readOnly: true, description: "pi_…"),
            EntityField("amount", .money, required: true),
            EntityField("currency", .currency, required: true),
            EntityField("customer", .id),
            EntityField("description", .string),
            EntityField("status", .string, readOnly: true),
            EntityField("payment_method", .id),
            EntityField("capture_method", .string),
            EntityField("receipt_email", .email),
            EntityField("amount_received", .money, readOnly: true),
            EntityField("latest_charge", .id, readOnly: true),
            EntityField("metadata", .object),
            EntityField("created", .datetime, readOnly: true),
        ],
        // PaymentIntents are cancelled, not deleted.
        operations: [.read, .create, .update],
        incremental: true
    )

    static let products = EntityDefinition(
        name: "products",
        providerObject: "products",
        fields: [
            EntityField("id", .id, readOnly: true, description: "prod_…"),
            EntityField("name", .string, required: true),
            EntityField("description", .string),
            EntityField("active", .boolean),
            EntityField("default_price", .id),
            EntityField("images", .array),
            EntityField("url", .url),
            EntityField("metadata", .object),
            EntityField("created", .datetime, readOnly: true),
            EntityField("updated", .datetime, readOnly: true),
        ],
        // Delete only succeeds for products without prices; others are archived (active=false).
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let prices = EntityDefinition(
        name: "prices",
        providerObject: "prices",
        fields: [
            EntityField("id", .id, readOnly: true, description: "price_…"),
            EntityField("product", .id, required: true),
            EntityField("currency", .currency, required: true),
            EntityField("unit_amount", .money),
            EntityField("recurring", .object, description: "interval and interval_count for recurring prices."),
            EntityField("type", .string, readOnly: true, description: "one_time or recurring."),
            EntityField("active", .boolean),
            EntityField("nickname", .string),
            EntityField("lookup_key", .string),
            EntityField("metadata", .object),
            EntityField("created", .datetime, readOnly: true),
        ],
        // Prices are immutable in amount and never deleted: archive with active=false.
        operations: [.read, .create, .update],
        incremental: true
    )

    static let subscriptions = EntityDefinition(
        name: "subscriptions",
        providerObject: "subscriptions",
        fields: [
            EntityField("id", .id, readOnly: true, description: "sub_…"),
            EntityField("customer", .id, required: true),
            EntityField("items", .array, required: true, description: "Each with a price and quantity."),
            EntityField("status", .string, readOnly: true),
            EntityField("currency", .currency),
            EntityField("collection_method", .string),
            EntityField("cancel_at_period_end", .boolean),
            EntityField("default_payment_method", .id),
            EntityField("latest_invoice", .id, readOnly: true),
            EntityField("start_date", .datetime, readOnly: true),
            EntityField("canceled_at", .datetime, readOnly: true),
            EntityField("metadata", .object),
            EntityField("created", .datetime, readOnly: true),
        ],
        // Delete cancels the subscription.
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let charges = EntityDefinition(
        name: "charges",
        providerObject: "charges",
        fields: [
            EntityField("id", .id, readOnly: true, description: "ch_…"),
            EntityField("amount", .money, readOnly: true),
            EntityField("amount_captured", .money, readOnly: true),
            EntityField("amount_refunded", .money, readOnly: true),
            EntityField("currency", .currency, readOnly: true),
            EntityField("customer", .id, readOnly: true),
            EntityField("description", .string, readOnly: true),
            EntityField("status", .string, readOnly: true, description: "succeeded, pending or failed."),
            EntityField("paid", .boolean, readOnly: true),
            EntityField("refunded", .boolean, readOnly: true),
            EntityField("payment_intent", .id, readOnly: true),
            EntityField("balance_transaction", .id, readOnly: true),
            EntityField("receipt_email", .email, readOnly: true),
            EntityField("metadata", .object, readOnly: true),
            EntityField("created", .datetime, readOnly: true),
        ],
        operations: [.read],
        incremental: true
    )

    static let payouts = EntityDefinition(
        name: "payouts",
        providerObject: "payouts",
        fields: [
            EntityField("id", .id, readOnly: true, description: "po_…"),
            EntityField("amount", .money, readOnly: true),
            EntityField("currency", .currency, readOnly: true),
            EntityField("arrival_date", .datetime, readOnly: true),
            EntityField("status", .string, readOnly: true, description: "paid, pending, in_transit, canceled or failed."),
            EntityField("method", .string, readOnly: true),
            EntityField("description", .string, readOnly: true),
            EntityField("destination", .id, readOnly: true),
            EntityField("balance_transaction", .id, readOnly: true),
            EntityField("metadata", .object, readOnly: true),
            EntityField("created", .datetime, readOnly: true),
        ],
        operations: [.read],
        incremental: true
    )

    static let balanceTransactions = EntityDefinition(
        name: "balance_transactions",
        providerObject: "balance_transactions",
        fields: [
            EntityField("id", .id, readOnly: true, description: "txn_…"),
            EntityField("amount", .money, readOnly: true, description: "Gross amount."),
            EntityField("fee", .money, readOnly: true),
            EntityField("net", .money, readOnly: true),
            EntityField("currency", .currency, readOnly: true),
            EntityField("type", .string, readOnly: true, description: "charge, refund, payout, stripe_fee, …"),
            EntityField("reporting_category", .string, readOnly: true),
            EntityField("status", .string, readOnly: true, description: "available or pending."),
            EntityField("source", .id, readOnly: true),
            EntityField("description", .string, readOnly: true),
            EntityField("available_on", .datetime, readOnly: true),
            EntityField("created", .datetime, readOnly: true),
        ],
        // Immutable once created, so `created[gte]` from the last seen time is a complete increment.
        operations: [.read],
        incremental: true
    )
}
