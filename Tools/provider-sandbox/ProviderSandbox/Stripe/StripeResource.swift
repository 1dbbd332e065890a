/// One kind of Stripe object the sandbox serves under `/v1/<path>`: its id prefix, the prefix of
/// its events, what may be written, and which fields list filters read.
struct StripeResource: Sendable, Hashable {
    /// The URL path segment (`payment_intents`).
    let path: String
    /// The `object` value (`payment_intent`).
    let object: String
    /// Ids are `<prefix>_<24 characters>`.
    let idPrefix: String
    /// Event types are `<eventPrefix>.created|updated|deleted`.
    let eventPrefix: String
    let creatable: Bool
    let deletable: Bool
    /// Parameters an update accepts; empty when objects are read-only.
    let updatable: Set<String>
    /// Top-level string fields indexed for list filters (`customer=cus_…`, `status=paid`).
    let filters: [String]

    var isWritable: Bool { !updatable.isEmpty }

    static func == (lhs: StripeResource, rhs: StripeResource) -> Bool { lhs.path == rhs.path }
    func hash(into hasher: inout Hasher) { hasher.combine(path) }

    // MARK: The resources

    static let customers = StripeResource(
        path: "customers",
        object: "customer",
        idPrefix: "cus",
        eventPrefix: "customer",
        creatable: true,
        deletable: true,
        updatable: [
            "address", "balance", "description", "email", "invoice_prefix", "metadata", "name", "phone", "preferred_locales",
            "shipping", "tax_exempt",
        ],
        filters: ["email"]
    )

    static let products = StripeResource(
        path: "products",
        object: "product",
        idPrefix: "prod",
        eventPrefix: "product",
        creatable: true,
        deletable: true,
        updatable: ["active", "default_price", "description", "images", "metadata", "name", "statement_descriptor", "unit_label", "url"],
        filters: ["active"]
    )

    static let prices = StripeResource(
        path: "prices",
        object: "price",
        idPrefix: "price",
        eventPrefix: "price",
        creatable: true,
        deletable: false,
        updatable: ["active", "lookup_key", "metadata", "nickname", "tax_behavior"],
        filters: ["product", "active", "currency", "type"]
    )

    static let invoices = StripeResource(
        path: "invoices",
        object: "invoice",
        idPrefix: "in",
        eventPrefix: "invoice",
        creatable: true,
        deletable: true,
        updatable: ["auto_advance", "collection_method", "days_until_due", "description", "due_date", "footer", "metadata"],
        filters: ["customer", "status", "subscription", "collection_method"]
    )

    static let invoiceItems = StripeResource(
        path: "invoiceitems",
        object: "invoiceitem",
        idPrefix: "ii",
        eventPrefix: "invoiceitem",
        creatable: true,
        deletable: true,
        updatable: ["amount", "description", "metadata", "quantity", "unit_amount"],
        filters: ["customer", "invoice"]
    )

    static let paymentIntents = StripeResource(
        path: "payment_intents",
        object: "payment_intent",
        idPrefix: "pi",
        eventPrefix: "payment_intent",
        creatable: true,
        deletable: false,
        updatable: ["amount", "currency", "customer", "description", "metadata", "payment_method", "receipt_email", "statement_descriptor"],
        filters: ["customer", "status"]
    )

    static let charges = StripeResource(
        path: "charges",
        object: "charge",
        idPrefix: "ch",
        eventPrefix: "charge",
        creatable: false,
        deletable: false,
        updatable: ["description", "metadata", "receipt_email"],
        filters: ["customer", "payment_intent", "status"]
    )

    static let subscriptions = StripeResource(
        path: "subscriptions",
        object: "subscription",
        idPrefix: "sub",
        eventPrefix: "customer.subscription",
        creatable: true,
        deletable: true,
        updatable: ["cancel_at_period_end", "collection_method", "default_payment_method", "description", "metadata"],
        filters: ["customer", "status"]
    )

    static let payouts = StripeResource(
        path: "payouts",
        object: "payout",
        idPrefix: "po",
        eventPrefix: "payout",
        creatable: false,
        deletable: false,
        updatable: ["metadata"],
        filters: ["status"]
    )

    static let balanceTransactions = StripeResource(
        path: "balance_transactions",
        object: "balance_transaction",
        idPrefix: "txn",
        eventPrefix: "balance_transaction",
        creatable: false,
        deletable: false,
        updatable: [],
        filters: ["type", "source", "payout", "currency"]
    )

    static let events = StripeResource(
        path: "events",
        object: "event",
        idPrefix: "evt",
        eventPrefix: "event",
        creatable: false,
        deletable: false,
        updatable: [],
        filters: ["type"]
    )

    /// Every resource with a `/v1/<path>` list, in seeding order (referenced kinds first).
    static let all: [StripeResource] = [
        customers, products, prices, invoices, invoiceItems, paymentIntents, charges, subscriptions, payouts,
        balanceTransactions, events,
    ]

    static let byPath: [String: StripeResource] = Dictionary(uniqueKeysWithValues: all.map { ($0.path, $0) })
}
