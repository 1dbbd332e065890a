/// QuickBooks Online's entities under the hub's names. Customers and items cannot be deleted, only
/// made inactive (`Active: false`, an update); transactions can be deleted (and voided).
enum QuickBooksEntities {
    static let all = [customers, invoices, payments, products, expenses]

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

    static let customers = EntityDefinition(
        name: "customers",
        providerObject: "Customer",
        fields: common([
            EntityField("DisplayName", .string, required: true, description: "Unique among customers, vendors and employees."),
            EntityField("GivenName", .string),
            EntityField("FamilyName", .string),
            EntityField("CompanyName", .string),
            EntityField("PrimaryEmailAddr.Address", .email),
            EntityField("PrimaryPhone.FreeFormNumber", .string),
            EntityField("BillAddr", .object),
            EntityField("ShipAddr", .object),
            EntityField("CurrencyRef.value", .currency),
            EntityField("Balance", .decimal, readOnly: true),
            EntityField("Active", .boolean),
            EntityField("Notes", .string),
        ]),
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
}
