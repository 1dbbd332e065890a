/// The ledger side of accounting providers (QuickBooks Online, Xero): suppliers and what the
/// business owes them, its chart of accounts, tax rates and credits.
///
/// Document lines (`lines` of invoices, bills and credit notes) are objects with `description`,
/// `quantity` (decimal), `unit_amount`, `amount` (money, before tax), `tax` (money), `tax_rate_id`,
/// `product_id` and `account_id`; a provider fills what it knows. Mappings map them element by
/// element (a rule's `each`), checked against `documentLine`.
extension CanonicalSchema {
    /// One line of an invoice, bill or credit note: the fields of `lines`' elements.
    public static let documentLine = CanonicalEntity(
        name: "line",
        fields: [
            CanonicalField("description", .string),
            CanonicalField("quantity", .decimal),
            .money("unit_amount", description: "The price of one unit."),
            .money("amount", description: "The line's amount before tax."),
            .money("tax"),
            .reference("tax_rate_id"),
            .reference("product_id"),
            .reference("account_id"),
        ]
    )

    /// The members of an `address`.
    public static let addressMembers = CanonicalEntity(
        name: "address",
        fields: ["line1", "line2", "city", "region", "postal_code", "country"].map { CanonicalField($0, .string) }
    )

    /// The shape of an object field's members or of an array field's elements, when the schema
    /// declares one: an `address`, and what `elements(of:field:)` declares.
    public static func shape(of entity: String, field: String) -> CanonicalEntity? {
        field == "address" ? addressMembers : elements(of: entity, field: field)
    }

    /// The shape of each element of an array field, when the schema declares one: the `lines` of
    /// documents and of bank transactions, the `line_items` of CRM deals.
    public static func elements(of entity: String, field: String) -> CanonicalEntity? {
        switch (entity, field) {
        case ("invoices", "lines"), ("bills", "lines"), ("credit_notes", "lines"), ("bank_transactions", "lines"),
            ("opportunities", "line_items"):
            documentLine
        default: nil
        }
    }

    static let accountingEntities = [vendors, accounts, taxRates, bills, billPayments, creditNotes]

    static let vendors = CanonicalEntity(
        name: "vendors",
        fields: [
            .id,
            CanonicalField("name", .string, description: "The full name or company name."),
            CanonicalField("first_name", .string),
            CanonicalField("last_name", .string),
            CanonicalField("company", .string),
            CanonicalField("email", .email),
            CanonicalField("phone", .string),
            .address,
            .currency,
            .money("balance", description: "Owed to the vendor (positive)."),
            CanonicalField("tax_number", .string),
            CanonicalField("active", .boolean),
            .metadata,
            .createdAt,
            .updatedAt,
        ]
    )

    static let accounts = CanonicalEntity(
        name: "accounts",
        fields: [
            .id,
            CanonicalField("name", .string, required: true),
            CanonicalField("code", .string, description: "The account's number in the chart of accounts."),
            CanonicalField(
                "classification",
                .string,
                description: "asset, liability, equity, revenue or expense."
            ),
            CanonicalField("type", .string, description: "The provider's account type (Bank, Income, ACCPAY…)."),
            CanonicalField("subtype", .string),
            CanonicalField("description", .string),
            .currency,
            .money("balance"),
            .reference("tax_rate_id"),
            CanonicalField("active", .boolean),
            .createdAt,
            .updatedAt,
        ]
    )

    static let taxRates = CanonicalEntity(
        name: "tax_rates",
        fields: [
            .id,
            CanonicalField("name", .string, required: true),
            CanonicalField("code", .string, description: "The provider's tax type or code."),
            CanonicalField("rate", .decimal, description: "The effective rate in percent (12.5 for 12.5 %)."),
            CanonicalField("components", .array, description: "name and rate of each component of a compound tax."),
            CanonicalField("active", .boolean),
            .createdAt,
            .updatedAt,
        ]
    )

    static let bills = CanonicalEntity(
        name: "bills",
        fields: [
            .id,
            CanonicalField("number", .string),
            .reference("vendor_id"),
            CanonicalField("status", .string, description: "The provider's status (draft, open, paid, void, …)."),
            .currency,
            CanonicalField("issue_date", .date),
            CanonicalField("due_date", .date),
            CanonicalField("description", .string),
            .money("subtotal"),
            .money("tax"),
            .money("total"),
            .money("amount_due"),
            .money("amount_paid"),
            CanonicalField("lines", .array),
            .metadata,
            .createdAt,
            .updatedAt,
        ]
    )

    static let billPayments = CanonicalEntity(
        name: "bill_payments",
        fields: [
            .id,
            .money("amount", required: true),
            CanonicalField("currency", .currency, required: true),
            .reference("vendor_id"),
            .reference("bill_id"),
            .reference("account_id"),
            CanonicalField("date", .date),
            CanonicalField("reference", .string),
            CanonicalField("status", .string),
            .createdAt,
            .updatedAt,
        ]
    )

    static let creditNotes = CanonicalEntity(
        name: "credit_notes",
        fields: [
            .id,
            CanonicalField("number", .string),
            CanonicalField("type", .string, description: "customer (reduces a sale) or vendor (reduces a bill)."),
            .reference("customer_id"),
            .reference("vendor_id"),
            CanonicalField("status", .string),
            .currency,
            CanonicalField("issue_date", .date),
            .money("subtotal"),
            .money("tax"),
            .money("total"),
            .money("remaining", description: "Not yet applied or refunded."),
            CanonicalField("lines", .array),
            .createdAt,
            .updatedAt,
        ]
    )
}
