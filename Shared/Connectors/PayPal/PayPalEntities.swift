/// PayPal's entities under the hub's names. PayPal has no customer API. Payments come from
/// Transaction Search (`/v1/reporting/transactions`), read-only and searched by initiation date
/// in ranges of at most 31 days, lagging by up to three hours; invoices from Invoicing v2 (drafts
/// pushed); disputes from the Disputes API, read-only.
enum PayPalEntities {
    static let all = [invoices, payments, disputes]

    static let invoices = EntityDefinition(
        name: "invoices",
        providerObject: "invoices",
        fields: [
            EntityField("id", .id, readOnly: true, description: "INV2-…"),
            EntityField("status", .string, readOnly: true, description: "DRAFT, SENT, SCHEDULED, PAID, …"),
            EntityField("detail.currency_code", .currency, required: true),
            EntityField("detail.invoice_number", .string),
            EntityField("detail.invoice_date", .date),
            EntityField("detail.payment_term.due_date", .date),
            EntityField("detail.note", .string),
            EntityField("primary_recipients", .array, description: "billing_info with the payer's email and name."),
            EntityField("items", .array, description: "name, quantity (text) and unit_amount of each line."),
            EntityField("amount.value", .decimal, readOnly: true),
            EntityField("amount.currency_code", .currency, readOnly: true),
            EntityField("due_amount.value", .decimal, readOnly: true),
            EntityField("payments.paid_amount.value", .decimal, readOnly: true),
            EntityField("detail.metadata.create_time", .datetime, readOnly: true),
            EntityField("detail.metadata.last_update_time", .datetime, readOnly: true),
        ],
        // Created as drafts; delete applies to drafts (sent invoices are cancelled in PayPal).
        operations: [.read, .create, .update, .delete],
        // Invoicing v2 lists by page with no filter on last update: every pull reads them all.
        incremental: false
    )

    static let payments = EntityDefinition(
        name: "payments",
        providerObject: "transactions",
        fields: [
            EntityField("transaction_info.transaction_id", .id, readOnly: true),
            EntityField("transaction_info.transaction_event_code", .string, readOnly: true),
            EntityField("transaction_info.transaction_status", .string, readOnly: true, description: "S, P, D or V."),
            EntityField("transaction_info.transaction_amount.value", .decimal, readOnly: true),
            EntityField("transaction_info.transaction_amount.currency_code", .currency, readOnly: true),
            EntityField("transaction_info.fee_amount.value", .decimal, readOnly: true),
            EntityField("transaction_info.invoice_id", .string, readOnly: true),
            EntityField("transaction_info.transaction_subject", .string, readOnly: true),
            EntityField("transaction_info.transaction_initiation_date", .datetime, readOnly: true),
            EntityField("transaction_info.transaction_updated_date", .datetime, readOnly: true),
            EntityField("payer_info.account_id", .id, readOnly: true),
            EntityField("payer_info.email_address", .email, readOnly: true),
        ],
        operations: [.read],
        incremental: true
    )

    static let disputes = EntityDefinition(
        name: "disputes",
        providerObject: "disputes",
        fields: [
            EntityField("dispute_id", .id, readOnly: true, description: "PP-D-…"),
            EntityField("reason", .string, readOnly: true),
            EntityField("status", .string, readOnly: true, description: "OPEN, WAITING_FOR_SELLER_RESPONSE, RESOLVED, …"),
            EntityField("dispute_amount.value", .decimal, readOnly: true),
            EntityField("dispute_amount.currency_code", .currency, readOnly: true),
            EntityField("dispute_life_cycle_stage", .string, readOnly: true),
            EntityField("create_time", .datetime, readOnly: true),
            EntityField("update_time", .datetime, readOnly: true),
        ],
        operations: [.read],
        incremental: false
    )
}
