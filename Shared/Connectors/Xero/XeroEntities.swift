/// Xero's entities under the hub's names. Xero keeps customers and suppliers together as contacts
/// (`IsCustomer` / `IsSupplier`), so it offers `contacts` rather than `customers`. `PUT` creates,
/// `POST` creates or updates; deleting a transaction is an update to `Status: DELETED`.
enum XeroEntities {
    static let all = [contacts, invoices, payments, products, bankTransactions]

    static let contacts = EntityDefinition(
        name: "contacts",
        providerObject: "Contacts",
        fields: [
            EntityField("ContactID", .id, readOnly: true),
            EntityField("Name", .string, required: true, description: "Unique within the organisation."),
            EntityField("FirstName", .string),
            EntityField("LastName", .string),
            EntityField("EmailAddress", .email),
            EntityField("ContactNumber", .string),
            EntityField("AccountNumber", .string),
            EntityField("ContactStatus", .string, description: "ACTIVE or ARCHIVED."),
            EntityField("TaxNumber", .string),
            EntityField("DefaultCurrency", .currency),
            EntityField("Phones", .array),
            EntityField("Addresses", .array),
            EntityField("IsCustomer", .boolean, readOnly: true),
            EntityField("IsSupplier", .boolean, readOnly: true),
            EntityField("UpdatedDateUTC", .datetime, readOnly: true),
        ],
        // Contacts are archived (ContactStatus), never deleted.
        operations: [.read, .create, .update],
        incremental: true
    )

    static let invoices = EntityDefinition(
        name: "invoices",
        providerObject: "Invoices",
        fields: [
            EntityField("InvoiceID", .id, readOnly: true),
            EntityField("Type", .string, required: true, description: "ACCREC (sales) or ACCPAY (bill)."),
            EntityField("Contact.ContactID", .id, required: true),
            EntityField("LineItems", .array, description: "Required unless the invoice is a DRAFT."),
            EntityField("InvoiceNumber", .string),
            EntityField("Reference", .string),
            EntityField("Date", .date),
            EntityField("DueDate", .date),
            EntityField("Status", .string, description: "DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED or DELETED."),
            EntityField("LineAmountTypes", .string, description: "Exclusive, Inclusive or NoTax."),
            EntityField("CurrencyCode", .currency),
            EntityField("SubTotal", .decimal, readOnly: true),
            EntityField("TotalTax", .decimal, readOnly: true),
            EntityField("Total", .decimal, readOnly: true),
            EntityField("AmountDue", .decimal, readOnly: true),
            EntityField("AmountPaid", .decimal, readOnly: true),
            EntityField("AmountCredited", .decimal, readOnly: true),
            EntityField("UpdatedDateUTC", .datetime, readOnly: true),
        ],
        // Delete applies to DRAFT and SUBMITTED invoices; AUTHORISED ones are voided.
        operations: [.read, .create, .update, .delete],
        incremental: true
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
