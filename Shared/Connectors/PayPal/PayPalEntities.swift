/// PayPal's entities under the hub's names. PayPal has no customer API; payments come from
/// Transaction Search, which is read-only and searched by date range (31 days at most per query,
/// lagging by up to a few hours).
enum PayPalEntities {
    static let all = [invoices, payments, products]

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
            EntityField("items", .array),
            EntityField("amount.value", .decimal, readOnly: true),
            EntityField("amount.currency_code", .currency, readOnly: true),
            EntityField("due_amount.value", .decimal, readOnly: true),
            EntityField("payments.paid_amount.value", .decimal, readOnly: true),
            EntityField("detail.metadata.create_time", .datetime, readOnly: true),
            EntityField("detail.metadata.last_update_time", .datetime, readOnly: true),
        ],
        // Delete applies to drafts; sent invoices are cancelled.
        operations: [.read, .create, .update, .delete],
        // Invoice search filters by creation, invoice and due dates, not by last update.
        incremental: false
    )

    static let payments = EntityDefinition(
        name: "payments",
        providerObject: "transactions",
        fields: [
            EntityField("transaction_info.transaction_id", .id, readOnly: true),
            EntityField("transaction_info.transaction_event_code", .string, readOnly: true),
            EntityField("transaction_info.transaction_status", .string, readOnly: true),
            EntityField("transaction_info.transaction_amount.value", .decimal, readOnly: true),
            EntityField("transaction_info.transaction_amount.currency_code", .currency, readOnly: true),
            EntityField("transaction_info.fee_amount.value", .decimal, readOnly: true),
            EntityField("transaction_info.invoice_id", .string, readOnly: true),
            EntityField("transaction_info.transaction_initiation_date", .datetime, readOnly: true),
            EntityField("transaction_info.transaction_updated_date", .datetime, readOnly: true),
            EntityField("payer_info.account_id", .id, readOnly: true),
            EntityField("payer_info.email_address", .email, readOnly: true),
        ],
        operations: [.read],
        incremental: true
    )

    static let products = EntityDefinition(
        name: "products",
        providerObject: "catalogs/products",
        fields: [
            EntityField("id", .id, readOnly: true),
            EntityField("name", .string, required: true),
            EntityField("type", .string, required: true, description: "PHYSICAL, DIGITAL or SERVICE."),
            EntityField("description", .string),
            EntityField("category", .string),
            EntityField("image_url", .url),
            EntityField("home_url", .url),
            EntityField("create_time", .datetime, readOnly: true),
            EntityField("update_time", .datetime, readOnly: true),
        ],
        operations: [.read, .create, .update],
        incremental: false
    )
}
