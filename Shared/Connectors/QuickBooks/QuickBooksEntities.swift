/// QuickBooks Online's entities under the hub's (canonical) names. Name lists (customers, vendors,
/// items, accounts) cannot be deleted, only made inactive (`Active: false`, an update); tax codes
/// are read only; transactions can be deleted (and voided).
enum QuickBooksEntities {
    static let all = [
        customers, vendors, products, accounts, taxRates, invoices, bills, payments, billPayments, creditNotes, expenses,
    ]

    /// Objects that are never deleted, only made inactive; queries see only their active ones
    /// unless they filter on `Active`.
    static let nameLists: Set<String> = ["Customer", "Vendor", "Item", "Account", "TaxCode"]

    /// The entity whose Accounting API object is `name` (`Invoice` → invoices).
    static func entity(object name: String) -> EntityDefinition? {
        all.first { $0.providerObject == name }
    }

    /// Fields every QuickBooks entity carries: its id, the optimistic-concurrency token, and times.
    private static func common(_ fields: [EntityField]) -> [EntityField] {
        [
            EntityField("Id", .id, readOnly: true),
            EntityField("SyncToken", .string, readOnly: true, description: "Sent back with every update and delete."),
        ]
            + fields
            + [
                EntityField("MetaData.CreateTime", .datetime, readOnly: true),
                EntityField("MetaData.LastUpdatedTime", .datetime, readOnly: true),
            ]
    }

    /// The names and contact details customers and vendors share.
    private static let party = [
        EntityField("DisplayName", .string, required: true, description: "Unique among customers, vendors and employees."),
        EntityField("GivenName", .string),
        EntityField("FamilyName", .string),
        EntityField("CompanyName", .string),
        EntityField("PrimaryEmailAddr.Address", .email),
        EntityField("PrimaryPhone.FreeFormNumber", .string),
        EntityField("BillAddr", .object),
    ]

    static let customers = EntityDefinition(
        name: "customers",
        providerObject: "Customer",
        fields: common(
            party + [
                EntityField("ShipAddr", .object),
                EntityField("CurrencyRef.value", .currency),
                EntityField("Balance", .decimal, readOnly: true),
                EntityField("Active", .boolean),
                EntityField("Notes", .string),
            ]
        ),
        operations: [.read, .create, .update],
        incremental: true
    )

    static let invoices = EntityDefinition(
        name: "invoices",
        providerObject: "Invoice",
        fields: common([
            EntityField("CustomerRef.value", .id, required: true),
            EntityField("Line", .array, required: true, description: "SalesItemLineDetail lines with ItemRef and Amount."),
            EntityField("DocNumber", .string),
            EntityField("TxnDate", .date),
            EntityField("DueDate", .date),
            EntityField("CurrencyRef.value", .currency),
            EntityField("BillEmail.Address", .email),
            EntityField("PrivateNote", .string),
            EntityField("TotalAmt", .decimal, readOnly: true),
            EntityField("Balance", .decimal, readOnly: true),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let payments = EntityDefinition(
        name: "payments",
        providerObject: "Payment",
        fields: common([
            EntityField("CustomerRef.value", .id, required: true),
            EntityField("TotalAmt", .decimal, required: true),
            EntityField("TxnDate", .date),
            EntityField("Line", .array, description: "LinkedTxn entries applying the payment to invoices."),
            EntityField("CurrencyRef.value", .currency),
            EntityField("PaymentRefNum", .string),
            EntityField("DepositToAccountRef.value", .id),
            EntityField("PrivateNote", .string),
            EntityField("UnappliedAmt", .decimal, readOnly: true),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let products = EntityDefinition(
        name: "products",
        providerObject: "Item",
        fields: common([
            EntityField("Name", .string, required: true),
            EntityField("Type", .string, description: "Service, NonInventory or Inventory."),
            EntityField("Description", .string),
            EntityField("Sku", .string),
            EntityField("UnitPrice", .decimal),
            EntityField("IncomeAccountRef.value", .id, description: "Required by QuickBooks for Service and NonInventory items."),
            EntityField("Active", .boolean),
            EntityField("QtyOnHand", .decimal, readOnly: true),
        ]),
        operations: [.read, .create, .update],
        incremental: true
    )

    static let expenses = EntityDefinition(
        name: "expenses",
        providerObject: "Purchase",
        fields: common([
            EntityField("AccountRef.value", .id, required: true, description: "The bank or credit card account paid from."),
            EntityField("PaymentType", .string, required: true, description: "Cash, Check or CreditCard."),
            EntityField("Line", .array, required: true),
            EntityField("TxnDate", .date),
            EntityField("EntityRef.value", .id, description: "The payee."),
            EntityField("CurrencyRef.value", .currency),
            EntityField("PrivateNote", .string),
            EntityField("TotalAmt", .decimal, readOnly: true),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let vendors = EntityDefinition(
        name: "vendors",
        providerObject: "Vendor",
        fields: common(
            party + [
                EntityField("TaxIdentifier", .string),
                EntityField("AcctNum", .string),
                EntityField("CurrencyRef.value", .currency),
                EntityField("Balance", .decimal, readOnly: true),
                EntityField("Active", .boolean),
            ]
        ),
        operations: [.read, .create, .update],
        incremental: true
    )

    static let accounts = EntityDefinition(
        name: "accounts",
        providerObject: "Account",
        fields: common([
            EntityField("Name", .string, required: true),
            EntityField("AccountType", .string, required: true, description: "Bank, Income, Expense, Accounts Receivable, …"),
            EntityField("AccountSubType", .string),
            EntityField("AcctNum", .string),
            EntityField("Description", .string),
            EntityField("Classification", .string, readOnly: true, description: "Asset, Liability, Equity, Revenue or Expense."),
            EntityField("CurrencyRef.value", .currency),
            EntityField("CurrentBalance", .decimal, readOnly: true),
            EntityField("Active", .boolean),
        ]),
        operations: [.read, .create, .update],
        incremental: true
    )

    static let taxRates = EntityDefinition(
        name: "tax_rates",
        providerObject: "TaxCode",
        fields: common([
            EntityField("Name", .string, readOnly: true),
            EntityField("Description", .string, readOnly: true),
            EntityField("Taxable", .boolean, readOnly: true),
            EntityField("TaxGroup", .boolean, readOnly: true),
            EntityField("SalesTaxRateList", .object, readOnly: true, description: "The TaxRate references a sale applies."),
            EntityField("Active", .boolean, readOnly: true),
        ]),
        // Tax codes are set up in QuickBooks itself; the API only reads them.
        operations: [.read],
        incremental: true
    )

    static let bills = EntityDefinition(
        name: "bills",
        providerObject: "Bill",
        fields: common([
            EntityField("VendorRef.value", .id, required: true),
            EntityField("Line", .array, required: true, description: "AccountBasedExpenseLineDetail or ItemBasedExpenseLineDetail lines."),
            EntityField("DocNumber", .string),
            EntityField("TxnDate", .date),
            EntityField("DueDate", .date),
            EntityField("CurrencyRef.value", .currency),
            EntityField("APAccountRef.value", .id),
            EntityField("PrivateNote", .string),
            EntityField("TotalAmt", .decimal, readOnly: true),
            EntityField("Balance", .decimal, readOnly: true),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let billPayments = EntityDefinition(
        name: "bill_payments",
        providerObject: "BillPayment",
        fields: common([
            EntityField("VendorRef.value", .id, required: true),
            EntityField("PayType", .string, required: true, description: "Check or CreditCard."),
            EntityField("TotalAmt", .decimal, required: true),
            EntityField("Line", .array, required: true, description: "LinkedTxn entries applying the payment to bills."),
            EntityField("TxnDate", .date),
            EntityField("CheckPayment.BankAccountRef.value", .id),
            EntityField("CreditCardPayment.CCAccountRef.value", .id),
            EntityField("DocNumber", .string),
            EntityField("CurrencyRef.value", .currency),
            EntityField("PrivateNote", .string),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let creditNotes = EntityDefinition(
        name: "credit_notes",
        providerObject: "CreditMemo",
        fields: common([
            EntityField("CustomerRef.value", .id, required: true),
            EntityField("Line", .array, required: true, description: "SalesItemLineDetail lines with ItemRef and Amount."),
            EntityField("DocNumber", .string),
            EntityField("TxnDate", .date),
            EntityField("CurrencyRef.value", .currency),
            EntityField("PrivateNote", .string),
            EntityField("TotalAmt", .decimal, readOnly: true),
            EntityField("RemainingCredit", .decimal, readOnly: true),
            EntityField("Balance", .decimal, readOnly: true),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )
}
