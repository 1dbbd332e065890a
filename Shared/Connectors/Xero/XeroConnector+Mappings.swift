/// Xero's objects in the hub's canonical shapes. Amounts are decimals in the document's
/// `CurrencyCode` (→ integer minor units); dates and times are Microsoft JSON dates
/// (`/Date(…)/` → `ms_date_to_unix`, then to an ISO time or a calendar date). Document lines
/// (`LineItems`) map element by element into canonical lines, their amounts in the document's
/// currency; a line's product and account are Xero's codes (`ItemCode`, `AccountCode`), which is
/// how Xero's lines name them.
extension XeroConnector {
    public static var defaultFieldMappings: [String: FieldMapping] { XeroMappings.all }
}

enum XeroMappings {
    static let all: [String: FieldMapping] = [
        "customers": customers, "vendors": vendors, "products": products, "accounts": accounts, "tax_rates": taxRates,
        "invoices": document(party: "customer_id", number: "InvoiceNumber"), "bills": document(party: "vendor_id", number: "InvoiceNumber"),
        "payments": payments, "credit_notes": creditNotes, "bank_transactions": bankTransactions,
    ]

    private static let updatedAt = FieldRule.readOnly("updated_at", "UpdatedDateUTC", .msDateToUnix, .unixToISO)

    private static func money(_ target: String, _ source: String, pushed: Bool = false) -> FieldRule {
        pushed
            ? .field(target, source, .decimalToMinor(currencyPath: "CurrencyCode"))
            : .readOnly(target, source, .decimalToMinor(currencyPath: "CurrencyCode"))
    }

    private static func day(_ target: String, _ source: String) -> FieldRule {
        .field(target, source, .msDateToUnix, .unixToDate)
    }

    /// `LineItems` of invoices, credit notes and bank transactions. `TaxAmount` is Xero's to
    /// compute (from `TaxType`) unless given, so it is read, not pushed.
    private static let lines = FieldRule.elements(
        "lines",
        "LineItems",
        [
            .field("description", "Description"),
            .field("quantity", "Quantity"),
            money("unit_amount", "UnitAmount", pushed: true),
            money("amount", "LineAmount", pushed: true),
            money("tax", "TaxAmount"),
            .field("tax_rate_id", "TaxType"),
            .field("product_id", "ItemCode"),
            .field("account_id", "AccountCode"),
        ]
    )

    private static let active = FieldTransform.lookup(["ACTIVE": true, "ARCHIVED": false, "DELETED": false], fallback: false)

    private static let contactRules: [FieldRule] = [
        .readOnly("id", "ContactID"),
        .field("name", "Name"),
        .field("first_name", "FirstName"),
        .field("last_name", "LastName"),
        .field("email", "EmailAddress"),
        .field("currency", "DefaultCurrency", .upper),
        .readOnly("phone", "Phones[0].PhoneNumber"),
        .readOnly("address.line1", "Addresses[0].AddressLine1"),
        .readOnly("address.line2", "Addresses[0].AddressLine2"),
        .readOnly("address.city", "Addresses[0].City"),
        .readOnly("address.region", "Addresses[0].Region"),
        .readOnly("address.postal_code", "Addresses[0].PostalCode"),
        .readOnly("address.country", "Addresses[0].Country"),
        updatedAt,
    ]

    static let customers = FieldMapping(rules: contactRules)

    static let vendors = FieldMapping(
        rules: contactRules + [.field("tax_number", "TaxNumber"), .readOnly("active", "ContactStatus", active)]
    )

    static let products = FieldMapping(rules: [
        .readOnly("id", "ItemID"),
        .field("sku", "Code"),
        .field("name", "Name"),
        .field("description", "Description"),
        // Items carry no currency: the organisation's, assumed to have two decimals.
        .field("price", "SalesDetails.UnitPrice", .decimalToMinor(exponent: 2)),
        .readOnly("active", "IsSold"),
        updatedAt,
    ])

    static let accounts = FieldMapping(rules: [
        .readOnly("id", "AccountID"),
        .readOnly("name", "Name"),
        .readOnly("code", "Code"),
        .readOnly("type", "Type"),
        .readOnly(
            "classification",
            "Class",
            .lookup(["ASSET": "asset", "LIABILITY": "liability", "EQUITY": "equity", "REVENUE": "revenue", "EXPENSE": "expense"], fallback: .null)
        ),
        .readOnly("description", "Description"),
        .readOnly("currency", "CurrencyCode"),
        .readOnly("tax_rate_id", "TaxType"),
        .readOnly("active", "Status", active),
        updatedAt,
    ])

    static let taxRates = FieldMapping(rules: [
        .readOnly("id", "TaxType"),
        .readOnly("name", "Name"),
        .readOnly("code", "TaxType"),
        .readOnly("rate", "EffectiveRate"),
        .readOnly("components", "TaxComponents"),
        .readOnly("active", "Status", active),
    ])

    /// Sales invoices and bills: the same Invoices, told apart by `Type`.
    static func document(party: String, number: String) -> FieldMapping {
        FieldMapping(rules: [
            .readOnly("id", "InvoiceID"),
            .field("number", number),
            .field(party, "Contact.ContactID"),
            .field("status", "Status"),
            .field("currency", "CurrencyCode", .upper),
            day("issue_date", "Date"),
            day("due_date", "DueDate"),
            .field("description", "Reference"),
            money("subtotal", "SubTotal"),
            money("tax", "TotalTax"),
            money("total", "Total"),
            money("amount_due", "AmountDue"),
            money("amount_paid", "AmountPaid"),
            lines,
            updatedAt,
        ])
    }

    static let payments = FieldMapping(rules: [
        .readOnly("id", "PaymentID"),
        // Payments carry no currency of their own; amounts assume two decimals.
        .field("amount", "Amount", .decimalToMinor(exponent: 2)),
        .field("invoice_id", "Invoice.InvoiceID"),
        .field("description", "Reference"),
        .readOnly("status", "Status"),
        updatedAt,
    ])

    static let creditNotes = FieldMapping(rules: [
        .readOnly("id", "CreditNoteID"),
        .field("number", "CreditNoteNumber"),
        .field("type", "Type"),
        .field("customer_id", "Contact.ContactID"),
        .field("status", "Status"),
        .field("currency", "CurrencyCode", .upper),
        day("issue_date", "Date"),
        money("subtotal", "SubTotal"),
        money("tax", "TotalTax"),
        money("total", "Total"),
        money("remaining", "RemainingCredit"),
        lines,
        updatedAt,
    ])

    static let bankTransactions = FieldMapping(rules: [
        .readOnly("id", "BankTransactionID"),
        .field("account_id", "BankAccount.AccountID"),
        money("amount", "Total"),
        .field("currency", "CurrencyCode", .upper),
        day("date", "Date"),
        .field("description", "Reference"),
        .readOnly("merchant_name", "Contact.Name"),
        .readOnly("category", "Type"),
        lines,
        updatedAt,
    ])
}
