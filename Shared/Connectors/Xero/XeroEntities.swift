/// Xero's entities under the hub's (canonical) names. Xero keeps customers and suppliers together
/// as contacts (`IsCustomer` / `IsSupplier`, set by Xero from their transactions), so `customers`
/// and `vendors` are two views of Contacts (see `XeroEntityRoute`), and sales invoices and bills
/// are both Invoices (`ACCREC` / `ACCPAY`). `PUT` creates, `POST` updates; deleting is a status
/// change (`DELETED`, `VOIDED`, `ARCHIVED`) for everything but items.
enum XeroEntities {
    static let all = [customers, vendors, products, accounts, taxRates, invoices, bills, payments, creditNotes, bankTransactions]

    static let contactFields = [
        EntityField("ContactID", .id, readOnly: true),
        EntityField("Name", .string, required: true, description: "Unique within the organisation."),
        EntityField("FirstName", .string),
        EntityField("LastName", .string),
        EntityField("EmailAddress", .email),
        EntityField("ContactNumber", .string),
        EntityField("AccountNumber", .string),
        EntityField("ContactStatus", .string, description: "ACTIVE or ARCHIVED (archived contacts are deletions)."),
        EntityField("TaxNumber", .string),
        EntityField("DefaultCurrency", .currency),
        EntityField("Phones", .array),
        EntityField("Addresses", .array),
        EntityField("IsCustomer", .boolean, readOnly: true),
        EntityField("IsSupplier", .boolean, readOnly: true),
        EntityField("UpdatedDateUTC", .datetime, readOnly: true),
    ]

    /// Contacts that buy, or do not sell yet (a new contact is a customer until it has a bill).
    static let customers = EntityDefinition(
        name: "customers",
        providerObject: "Contacts",
        fields: contactFields,
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    /// Contacts that sell to the organisation.
    static let vendors = EntityDefinition(
        name: "vendors",
        providerObject: "Contacts",
        fields: contactFields,
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let documentFields = [
        EntityField("Contact.ContactID", .id, required: true),
        EntityField("LineItems", .array, description: "Required unless the document is a DRAFT."),
        EntityField("Reference", .string),
        EntityField("Date", .date),
        EntityField("DueDate", .date),
        EntityField("Status", .string, description: "DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED or DELETED (the last two are deletions)."),
        EntityField("LineAmountTypes", .string, description: "Exclusive, Inclusive or NoTax."),
        EntityField("CurrencyCode", .currency),
        EntityField("SubTotal", .decimal, readOnly: true),
        EntityField("TotalTax", .decimal, readOnly: true),
        EntityField("Total", .decimal, readOnly: true),
        EntityField("AmountDue", .decimal, readOnly: true),
        EntityField("AmountPaid", .decimal, readOnly: true),
        EntityField("AmountCredited", .decimal, readOnly: true),
        EntityField("UpdatedDateUTC", .datetime, readOnly: true),
    ]

    /// Sales invoices (`Type` ACCREC).
    static let invoices = EntityDefinition(
        name: "invoices",
        providerObject: "Invoices",
        fields: [EntityField("InvoiceID", .id, readOnly: true), EntityField("InvoiceNumber", .string)] + documentFields,
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    /// Bills (`Type` ACCPAY).
    static let bills = EntityDefinition(
        name: "bills",
        providerObject: "Invoices",
        fields: [EntityField("InvoiceID", .id, readOnly: true), EntityField("InvoiceNumber", .string)] + documentFields,
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let creditNotes = EntityDefinition(
        name: "credit_notes",
        providerObject: "CreditNotes",
        fields: [
            EntityField("CreditNoteID", .id, readOnly: true),
            EntityField("CreditNoteNumber", .string),
            EntityField("Type", .string, required: true, description: "ACCRECCREDIT (to a customer) or ACCPAYCREDIT (from a supplier)."),
            EntityField("RemainingCredit", .decimal, readOnly: true),
        ] + documentFields,
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let accounts = EntityDefinition(
        name: "accounts",
        providerObject: "Accounts",
        fields: [
            EntityField("AccountID", .id, readOnly: true),
            EntityField("Code", .string, readOnly: true),
            EntityField("Name", .string, readOnly: true),
            EntityField("Type", .string, readOnly: true, description: "BANK, REVENUE, EXPENSE, CURRENT, CURRLIAB, EQUITY, …"),
            EntityField("Class", .string, readOnly: true, description: "ASSET, LIABILITY, EQUITY, REVENUE or EXPENSE."),
            EntityField("Status", .string, readOnly: true, description: "ACTIVE or ARCHIVED (a deletion)."),
            EntityField("TaxType", .string, readOnly: true),
            EntityField("Description", .string, readOnly: true),
            EntityField("CurrencyCode", .currency, readOnly: true),
            EntityField("UpdatedDateUTC", .datetime, readOnly: true),
        ],
        operations: [.read],
        incremental: true
    )

    static let taxRates = EntityDefinition(
        name: "tax_rates",
        providerObject: "TaxRates",
        fields: [
            EntityField("TaxType", .id, readOnly: true),
            EntityField("Name", .string, readOnly: true),
            EntityField("Status", .string, readOnly: true),
            EntityField("EffectiveRate", .decimal, readOnly: true),
            EntityField("TaxComponents", .array, readOnly: true),
        ],
        // TaxRates take no If-Modified-Since: every sync reads them all (they are few).
        operations: [.read],
        incremental: false
    )

    static let payments = EntityDefinition(
        name: "payments",
        providerObject: "Payments",
        fields: [
            EntityField("PaymentID", .id, readOnly: true),
            EntityField("Invoice.InvoiceID", .id, required: true),
            EntityField("Account.AccountID", .id, required: true, description: "The bank account paid into or from."),
            EntityField("Date", .date, required: true),
            EntityField("Amount", .decimal, required: true),
            EntityField("CurrencyRate", .decimal),
            EntityField("Reference", .string),
            EntityField("IsReconciled", .boolean),
            EntityField("Status", .string, readOnly: true, description: "AUTHORISED or DELETED."),
            EntityField("PaymentType", .string, readOnly: true),
            EntityField("UpdatedDateUTC", .datetime, readOnly: true),
        ],
        // Payments cannot be edited, only created or deleted.
        operations: [.read, .create, .delete],
        incremental: true
    )

    static let products = EntityDefinition(
        name: "products",
        providerObject: "Items",
        fields: [
            EntityField("ItemID", .id, readOnly: true),
            EntityField("Code", .string, required: true),
            EntityField("Name", .string),
            EntityField("Description", .string),
            EntityField("PurchaseDescription", .string),
            EntityField("SalesDetails.UnitPrice", .decimal),
            EntityField("PurchaseDetails.UnitPrice", .decimal),
            EntityField("IsSold", .boolean),
            EntityField("IsPurchased", .boolean),
            EntityField("IsTrackedAsInventory", .boolean, readOnly: true),
            EntityField("QuantityOnHand", .decimal, readOnly: true),
            EntityField("UpdatedDateUTC", .datetime, readOnly: true),
        ],
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let bankTransactions = EntityDefinition(
        name: "bank_transactions",
        providerObject: "BankTransactions",
        fields: [
            EntityField("BankTransactionID", .id, readOnly: true),
            EntityField("Type", .string, required: true, description: "RECEIVE or SPEND (and their -OVERPAYMENT / -PREPAYMENT forms)."),
            EntityField("Contact.ContactID", .id, required: true),
            EntityField("BankAccount.AccountID", .id, required: true),
            EntityField("LineItems", .array, required: true),
            EntityField("Date", .date),
            EntityField("Reference", .string),
            EntityField("Status", .string, description: "AUTHORISED or DELETED."),
            EntityField("LineAmountTypes", .string),
            EntityField("CurrencyCode", .currency),
            EntityField("IsReconciled", .boolean),
            EntityField("SubTotal", .decimal, readOnly: true),
            EntityField("TotalTax", .decimal, readOnly: true),
            EntityField("Total", .decimal, readOnly: true),
            EntityField("UpdatedDateUTC", .datetime, readOnly: true),
        ],
        operations: [.read, .create, .update, .delete],
        incremental: true
    )
}
