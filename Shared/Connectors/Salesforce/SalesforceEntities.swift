/// Salesforce's standard objects under the hub's names. Every object is created with `POST`,
/// updated with `PATCH` and deleted with `DELETE` on `/sobjects/{Object}`.
enum SalesforceEntities {
    static let all = [accounts, contacts, opportunities, products, orders]

    // Accounts are the hub's `customers` (the canonical shape they map onto); the name
    // `accounts` means a chart of accounts elsewhere in the hub.

    /// Fields every Salesforce object carries: its id, audit times and the soft-delete flag.
    private static func common(_ fields: [EntityField]) -> [EntityField] {
        [EntityField("Id", .id, readOnly: true, description: "18-character record id.")]
            + fields
            + [
                EntityField("CreatedDate", .datetime, readOnly: true),
                EntityField("LastModifiedDate", .datetime, readOnly: true),
                EntityField("SystemModstamp", .datetime, readOnly: true, description: "Last change by anyone, system included."),
                EntityField("IsDeleted", .boolean, readOnly: true),
            ]
    }

    static let accounts = EntityDefinition(
        name: "customers",
        providerObject: "Account",
        fields: common([
            EntityField("Name", .string, required: true),
            EntityField("AccountNumber", .string),
            EntityField("Type", .string),
            EntityField("Industry", .string),
            EntityField("Phone", .string),
            EntityField("Website", .url),
            EntityField("Description", .string),
            EntityField("AnnualRevenue", .decimal),
            EntityField("BillingStreet", .string),
            EntityField("BillingCity", .string),
            EntityField("BillingState", .string),
            EntityField("BillingPostalCode", .string),
            EntityField("BillingCountry", .string),
            EntityField("OwnerId", .id),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let contacts = EntityDefinition(
        name: "contacts",
        providerObject: "Contact",
        fields: common([
            EntityField("LastName", .string, required: true),
            EntityField("FirstName", .string),
            EntityField("Email", .email),
            EntityField("Phone", .string),
            EntityField("Title", .string),
            EntityField("AccountId", .id),
            EntityField("MailingStreet", .string),
            EntityField("MailingCity", .string),
            EntityField("MailingState", .string),
            EntityField("MailingPostalCode", .string),
            EntityField("MailingCountry", .string),
            EntityField("OwnerId", .id),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let opportunities = EntityDefinition(
        name: "opportunities",
        providerObject: "Opportunity",
        fields: common([
            EntityField("Name", .string, required: true),
            EntityField("StageName", .string, required: true),
            EntityField("CloseDate", .date, required: true),
            EntityField("Amount", .decimal),
            EntityField("Probability", .decimal),
            EntityField("AccountId", .id),
            EntityField("Description", .string),
            EntityField("IsClosed", .boolean, readOnly: true),
            EntityField("IsWon", .boolean, readOnly: true),
            EntityField("OwnerId", .id),
            EntityField(
                "OpportunityLineItems",
                .object,
                readOnly: true,
                description: "The line items (OpportunityLineItem) as a sub-query result: records with Product2Id, Quantity, UnitPrice, "
                    + "TotalPrice."
            ),
            EntityField(
                "OpportunityContactRoles",
                .object,
                readOnly: true,
                description: "The contacts on the opportunity (OpportunityContactRole) as a sub-query result: records with ContactId, "
                    + "Role, IsPrimary."
            ),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let products = EntityDefinition(
        name: "products",
        providerObject: "Product2",
        fields: common([
            EntityField("Name", .string, required: true),
            EntityField("ProductCode", .string),
            EntityField("Description", .string),
            EntityField("Family", .string),
            EntityField("IsActive", .boolean),
        ]),
        // Prices live in PricebookEntry, not on the product.
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let orders = EntityDefinition(
        name: "orders",
        providerObject: "Order",
        fields: common([
            EntityField("AccountId", .id, required: true),
            EntityField("EffectiveDate", .date, required: true),
            EntityField("Status", .string, required: true, description: "Created as Draft."),
            EntityField("Pricebook2Id", .id),
            EntityField("Description", .string),
            EntityField("OrderNumber", .string, readOnly: true),
            EntityField("TotalAmount", .decimal, readOnly: true),
            EntityField("OwnerId", .id),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )
}
