/// Payment processors' own objects (Stripe, PayPal): prices, subscriptions, the money movements the
/// hub observes (charges, payouts, balance transactions) and the disputes raised against payments.
extension CanonicalSchema {
    static let paymentEntities = [prices, subscriptions, charges, payouts, balanceTransactions, disputes]

    static let prices = CanonicalEntity(
        name: "prices",
        fields: [
            .id,
            .reference("product_id", required: true),
            CanonicalField("currency", .currency, required: true),
            .money("unit_amount"),
            CanonicalField("type", .string, description: "one_time or recurring."),
            CanonicalField("recurring_interval", .string, description: "day, week, month or year."),
            CanonicalField("recurring_interval_count", .integer),
            CanonicalField("active", .boolean),
            CanonicalField("nickname", .string),
            CanonicalField("lookup_key", .string),
            .metadata,
            .createdAt,
        ]
    )

    static let subscriptions = CanonicalEntity(
        name: "subscriptions",
        fields: [
            .id,
            .reference("customer_id", required: true),
            CanonicalField("status", .string),
            .currency,
            CanonicalField("items", .array),
            CanonicalField("price_ids", .array),
            CanonicalField("collection_method", .string),
            CanonicalField("cancel_at_period_end", .boolean),
            .reference("default_payment_method_id"),
            .reference("latest_invoice_id"),
            CanonicalField("started_at", .datetime),
            CanonicalField("current_period_start", .datetime),
            CanonicalField("current_period_end", .datetime),
            CanonicalField("canceled_at", .datetime),
            .metadata,
            .createdAt,
        ]
    )

    static let charges = CanonicalEntity(
        name: "charges",
        fields: [
            .id,
            .money("amount", required: true),
            .money("amount_captured"),
            .money("amount_refunded"),
            CanonicalField("currency", .currency, required: true),
            .reference("customer_id"),
            .reference("payment_id"),
            .reference("balance_transaction_id"),
            CanonicalField("description", .string),
            CanonicalField("status", .string),
            CanonicalField("paid", .boolean),
            CanonicalField("refunded", .boolean),
            CanonicalField("receipt_email", .email),
            .metadata,
            .createdAt,
        ]
    )

    static let payouts = CanonicalEntity(
        name: "payouts",
        fields: [
            .id,
            .money("amount", required: true),
            CanonicalField("currency", .currency, required: true),
            CanonicalField("arrival_date", .date),
            CanonicalField("status", .string),
            CanonicalField("method", .string),
            CanonicalField("description", .string),
            .reference("destination_id"),
            .reference("balance_transaction_id"),
            .metadata,
            .createdAt,
        ]
    )

    static let balanceTransactions = CanonicalEntity(
        name: "balance_transactions",
        fields: [
            .id,
            .money("amount", required: true, description: "Gross."),
            .money("fee"),
            .money("net"),
            CanonicalField("currency", .currency, required: true),
            CanonicalField("type", .string),
            CanonicalField("reporting_category", .string),
            CanonicalField("status", .string),
            .reference("source_id"),
            CanonicalField("description", .string),
            CanonicalField("available_at", .datetime),
            .createdAt,
        ]
    )

    /// A payer's dispute of a payment (a PayPal inquiry or claim, a chargeback).
    static let disputes = CanonicalEntity(
        name: "disputes",
        fields: [
            .id,
            .money("amount", required: true, description: "The disputed amount."),
            CanonicalField("currency", .currency, required: true),
            CanonicalField("reason", .string, description: "The provider's reason code."),
            CanonicalField("status", .string, description: "The provider's status (open, resolved, …)."),
            CanonicalField("stage", .string, description: "Inquiry, chargeback or claim, as the provider names it."),
            .reference("payment_id"),
            .createdAt,
            .updatedAt,
        ]
    )
}
