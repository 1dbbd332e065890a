/// PayPal's objects in the hub's canonical shapes. Money is PayPal's decimal string in the
/// object's currency (`"21.50"` USD → 2150, written back as text with the currency's digits);
/// times are RFC 3339 with an offset (Transaction Search writes `+0000`), normalized to UTC.
/// Transactions become payments (read-only); invoices map both ways, their `items` element by
/// element into canonical lines. Disputes keep PayPal's codes as their reason, status and stage.
extension PayPalConnector {
    public static var defaultFieldMappings: [String: FieldMapping] { PayPalMappings.all }
}

enum PayPalMappings {
    static let all: [String: FieldMapping] = ["payments": payments, "invoices": invoices, "disputes": disputes]

    /// A decimal string in the currency at `currencyPath`.
    private static func money(_ target: String, _ source: String, currencyPath: String, pushed: Bool = false) -> FieldRule {
        let transform = FieldTransform.decimalToMinor(currencyPath: currencyPath, asString: true)
        return pushed ? .field(target, source, transform) : .readOnly(target, source, transform)
    }

    static let payments = FieldMapping(rules: [
        .readOnly("id", "transaction_info.transaction_id"),
        money("amount", "transaction_info.transaction_amount.value", currencyPath: "transaction_info.transaction_amount.currency_code"),
        .readOnly("currency", "transaction_info.transaction_amount.currency_code", .upper),
        .readOnly("customer_id", "payer_info.account_id"),
        .readOnly("invoice_id", "transaction_info.invoice_id"),
        .readOnly("description", "transaction_info.transaction_subject"),
        // S(uccess), P(ending), D(enied), V (reversed).
        .readOnly(
            "status",
            "transaction_info.transaction_status",
            .lookup(["S": "succeeded", "P": "pending", "D": "failed", "V": "reversed"], fallback: "unknown")
        ),
        .readOnly("receipt_email", "payer_info.email_address"),
        .readOnly("created_at", "transaction_info.transaction_initiation_date", .isoToUTC),
        .readOnly("updated_at", "transaction_info.transaction_updated_date", .isoToUTC),
    ])

    static let invoices = FieldMapping(rules: [
        .readOnly("id", "id"),
        .field("number", "detail.invoice_number"),
        .readOnly("status", "status", .lower),
        .field("currency", "detail.currency_code", .upper),
        .field("issue_date", "detail.invoice_date"),
        .field("due_date", "detail.payment_term.due_date"),
        .field("description", "detail.note"),
        money("total", "amount.value", currencyPath: "amount.currency_code"),
        money("amount_due", "due_amount.value", currencyPath: "due_amount.currency_code"),
        money("amount_paid", "payments.paid_amount.value", currencyPath: "payments.paid_amount.currency_code"),
        .elements(
            "lines",
            "items",
            [
                .field("description", "name"),
                .field("quantity", "quantity", .toNumber),
                money("unit_amount", "unit_amount.value", currencyPath: "detail.currency_code", pushed: true),
            ]
        ),
        .readOnly("created_at", "detail.metadata.create_time", .isoToUTC),
        .readOnly("updated_at", "detail.metadata.last_update_time", .isoToUTC),
    ])

    static let disputes = FieldMapping(rules: [
        .readOnly("id", "dispute_id"),
        money("amount", "dispute_amount.value", currencyPath: "dispute_amount.currency_code"),
        .readOnly("currency", "dispute_amount.currency_code", .upper),
        .readOnly("reason", "reason"),
        .readOnly("status", "status", .lower),
        .readOnly("stage", "dispute_life_cycle_stage", .lower),
        .readOnly("created_at", "create_time", .isoToUTC),
        .readOnly("updated_at", "update_time", .isoToUTC),
    ])
}
