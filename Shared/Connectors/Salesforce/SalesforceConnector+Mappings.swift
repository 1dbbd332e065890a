/// Salesforce's objects in the hub's canonical shapes: Account → `customers`, Contact →
/// `contacts` (its account as `customer_id`), Opportunity → `opportunities` (its line items as
/// canonical document lines, its contact roles' contacts as `contact_ids`), Product2 → `products`, Order → `orders`. Ids are 18-character
/// strings, amounts decimals in the org's currency (two decimals assumed), and times carry
/// `+0000` (normalized to UTC).
extension SalesforceConnector {
    public static var defaultFieldMappings: [String: FieldMapping] { SalesforceMappings.all }
}

enum SalesforceMappings {
    static let all: [String: FieldMapping] = [
        "customers": customers, "contacts": contacts, "opportunities": opportunities, "products": products, "orders": orders,
    ]

    private static let id = FieldRule.readOnly("id", "Id")
    private static let times = [
        FieldRule.readOnly("created_at", "CreatedDate", .isoToUTC),
        FieldRule.readOnly("updated_at", "LastModifiedDate", .isoToUTC),
    ]

    /// A decimal amount in the org's currency.
    private static func money(_ target: String, _ source: String, direction: FieldRule.Direction = .both) -> FieldRule {
        FieldRule(target: target, source: source, transforms: [.decimalToMinor(exponent: 2)], direction: direction)
    }

    /// A Salesforce compound address (`BillingStreet`, `BillingCity`, …) as the canonical address.
    private static func address(_ prefix: String) -> [FieldRule] {
        [("line1", "Street"), ("city", "City"), ("region", "State"), ("postal_code", "PostalCode"), ("country", "Country")].map {
            canonical,
            salesforce in FieldRule(target: "address.\(canonical)", source: "\(prefix)\(salesforce)")
        }
    }

    static let customers = FieldMapping(
        rules: [
            id,
            .field("name", "Name"),
            .field("phone", "Phone"),
            .field("description", "Description"),
        ] + address("Billing") + times
    )

    static let contacts = FieldMapping(
        rules: [
            id,
            .field("first_name", "FirstName"),
            .field("last_name", "LastName"),
            .field("email", "Email"),
            .field("phone", "Phone"),
            .field("job_title", "Title"),
            .field("customer_id", "AccountId"),
        ] + address("Mailing") + times
    )

    /// Line items are read through the opportunity; they are written as OpportunityLineItem
    /// records of their own, so the rule only pulls.
    private static let lineItems = FieldRule.elements(
        "line_items",
        "OpportunityLineItems.records",
        direction: .pull,
        [
            .field("description", "Description"),
            .field("quantity", "Quantity"),
            money("unit_amount", "UnitPrice"),
            money("amount", "TotalPrice"),
            .field("product_id", "Product2Id"),
        ]
    )

    static let opportunities = FieldMapping(
        rules: [
            id,
            .field("name", "Name"),
            .field("stage", "StageName"),
            money("amount", "Amount"),
            .field("probability", "Probability"),
            .field("close_date", "CloseDate"),
            .readOnly("is_closed", "IsClosed"),
            .readOnly("is_won", "IsWon"),
            .field("customer_id", "AccountId"),
            .field("description", "Description"),
            .readOnly("owner_id", "OwnerId"),
            // Contact roles are records of their own (OpportunityContactRole): read, not pushed.
            .readOnly("contact_ids", "OpportunityContactRoles.records[].ContactId"),
            lineItems,
        ] + times
    )

    static let products = FieldMapping(
        rules: [
            id,
            .field("name", "Name"),
            .field("description", "Description"),
            .field("active", "IsActive"),
            .field("sku", "ProductCode"),
        ] + times
    )

    static let orders = FieldMapping(
        rules: [
            id,
            .readOnly("order_number", "OrderNumber", .toNumber),
            .field("customer_id", "AccountId"),
            money("total", "TotalAmount", direction: .pull),
            .field("note", "Description"),
        ] + times
    )
}
