/// Stripe's objects in the hub's canonical shapes. Stripe amounts are already integers in the
/// minor unit, so money needs no transform; currencies are lower-case (upper-cased here, and
/// Stripe accepts either back); times are unix seconds. Fields Stripe computes are pull-only.
extension StripeConnector {
    public static var defaultFieldMappings: [String: FieldMapping] { StripeMappings.all }
}

enum StripeMappings {
    static let all: [String: FieldMapping] = [
        "customers": customers, "invoices": invoices, "payments": payments, "products": products, "prices": prices,
        "subscriptions": subscriptions, "charges": charges, "payouts": payouts, "balance_transactions": balanceTransactions,
    ]

    private static let created = FieldRule.readOnly("created_at", "created", .unixToISO)
    private static let metadata = FieldRule.field("metadata", "metadata")
    private static let readOnlyMetadata = FieldRule.readOnly("metadata", "metadata")

    static let customers = FieldMapping(rules: [
        .readOnly("id", "id"),
        .field("name", "name"),
        .field("email", "email"),
        .field("phone", "phone"),
        .field("description", "description"),
        .field("address.line1", "address.line1"),
        .field("address.line2", "address.line2"),
        .field("address.city", "address.city"),
        .field("address.region", "address.state"),
        .field("address.postal_code", "address.postal_code"),
        .field("address.country", "address.country"),
        .readOnly("currency", "currency", .upper),
        .field("balance", "balance"),
        // Reverse charge shifts the tax to the customer: not taxed by the seller either. The
        // three-to-two table cannot be undone, so a push leaves Stripe's value alone.
        .field("tax_exempt", "tax_exempt", .lookup(["none": false, "exempt": true, "reverse": true])),
        metadata,
        created,
    ])

    static let invoices = FieldMapping(rules: [
        .readOnly("id", "id"),
        .readOnly("number", "number"),
        .field("customer_id", "customer"),
        .readOnly("status", "status"),
        .field("currency", "currency", .upper),
        .field("collection_method", "collection_method"),
        .readOnly("issue_date", "status_transitions.finalized_at", .unixToDate),
        .field("due_date", "due_date", .unixToDate),
        .field("description", "description"),
        .readOnly("subtotal", "subtotal"),
        .readOnly("tax", "tax"),
        .readOnly("total", "total"),
        .readOnly("amount_due", "amount_due"),
        .readOnly("amount_paid", "amount_paid"),
        .readOnly("amount_remaining", "amount_remaining"),
        .readOnly("lines", "lines.data"),
        .readOnly("hosted_url", "hosted_invoice_url"),
        .readOnly("pdf_url", "invoice_pdf"),
        metadata,
        created,
    ])

    static let payments = FieldMapping(rules: [
        .readOnly("id", "id"),
        .field("amount", "amount"),
        .field("currency", "currency", .upper),
        .field("customer_id", "customer"),
        .readOnly("invoice_id", "invoice"),
        .field("description", "description"),
        .readOnly("status", "status"),
        .field("payment_method_id", "payment_method"),
        .field("capture_method", "capture_method"),
        .readOnly("amount_received", "amount_received"),
        .field("receipt_email", "receipt_email"),
        .readOnly("charge_id", "latest_charge"),
        metadata,
        created,
    ])

    static let products = FieldMapping(rules: [
        .readOnly("id", "id"),
        .field("name", "name"),
        .field("description", "description"),
        .field("active", "active"),
        .field("default_price_id", "default_price"),
        .field("images", "images"),
        .field("url", "url"),
        metadata,
        created,
        .readOnly("updated_at", "updated", .unixToISO),
    ])

    static let prices = FieldMapping(rules: [
        .readOnly("id", "id"),
        .field("product_id", "product"),
        .field("currency", "currency", .upper),
        .field("unit_amount", "unit_amount"),
        .readOnly("type", "type"),
        .field("recurring_interval", "recurring.interval"),
        .field("recurring_interval_count", "recurring.interval_count"),
        .field("active", "active"),
        .field("nickname", "nickname"),
        .field("lookup_key", "lookup_key"),
        metadata,
        created,
    ])

    static let subscriptions = FieldMapping(rules: [
        .readOnly("id", "id"),
        .field("customer_id", "customer"),
        .readOnly("status", "status"),
        .field("currency", "currency", .upper),
        .readOnly("items", "items.data"),
        .readOnly("price_ids", "items.data[].price.id"),
        .field("collection_method", "collection_method"),
        .field("cancel_at_period_end", "cancel_at_period_end"),
        .field("default_payment_method_id", "default_payment_method"),
        .readOnly("latest_invoice_id", "latest_invoice"),
        .readOnly("started_at", "start_date", .unixToISO),
        .readOnly("current_period_start", "current_period_start", .unixToISO),
        .readOnly("current_period_end", "current_period_end", .unixToISO),
        .readOnly("canceled_at", "canceled_at", .unixToISO),
        metadata,
        created,
    ])

    static let charges = FieldMapping(rules: [
        .readOnly("id", "id"),
        .readOnly("amount", "amount"),
        .readOnly("amount_captured", "amount_captured"),
        .readOnly("amount_refunded", "amount_refunded"),
        .readOnly("currency", "currency", .upper),
        .readOnly("customer_id", "customer"),
        .readOnly("payment_id", "payment_intent"),
        .readOnly("balance_transaction_id", "balance_transaction"),
        .readOnly("description", "description"),
        .readOnly("status", "status"),
        .readOnly("paid", "paid"),
        .readOnly("refunded", "refunded"),
        .readOnly("receipt_email", "receipt_email"),
        readOnlyMetadata,
        created,
    ])

    static let payouts = FieldMapping(rules: [
        .readOnly("id", "id"),
        .readOnly("amount", "amount"),
        .readOnly("currency", "currency", .upper),
        .readOnly("arrival_date", "arrival_date", .unixToDate),
        .readOnly("status", "status"),
        .readOnly("method", "method"),
        .readOnly("description", "description"),
        .readOnly("destination_id", "destination"),
        .readOnly("balance_transaction_id", "balance_transaction"),
        readOnlyMetadata,
        created,
    ])

    static let balanceTransactions = FieldMapping(rules: [
        .readOnly("id", "id"),
        .readOnly("amount", "amount"),
        .readOnly("fee", "fee"),
        .readOnly("net", "net"),
        .readOnly("currency", "currency", .upper),
        .readOnly("type", "type"),
        .readOnly("reporting_category", "reporting_category"),
        .readOnly("status", "status"),
        .readOnly("source_id", "source"),
        .readOnly("description", "description"),
        .readOnly("available_at", "available_on", .unixToISO),
        created,
    ])
}
