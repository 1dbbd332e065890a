/// One sObject type the sandbox serves: its key prefix (the first three characters of every id),
/// the fields it has, which of them a create must carry and which the server computes, and the
/// child relationships a SOQL sub-query may name. Custom fields (`…__c`, the external-id field
/// an upsert names) exist on every object.
struct SalesforceObjectType: Sendable, Hashable {
    let name: String
    let keyPrefix: String
    let fields: [String]
    let required: [String]
    /// Computed or audit fields a write may not set.
    let readOnly: Set<String>
    /// Child relationship name → (child object, the child's field that points here).
    let children: [String: Child]

    struct Child: Sendable, Hashable {
        let object: String
        let field: String
    }

    static let audit = ["Id", "IsDeleted", "CreatedDate", "LastModifiedDate", "SystemModstamp", "OwnerId"]

    static let account = SalesforceObjectType(
        name: "Account",
        keyPrefix: "001",
        fields: audit + [
            "Name", "AccountNumber", "Type", "Industry", "Phone", "Website", "Description", "AnnualRevenue", "BillingStreet", "BillingCity",
            "BillingState", "BillingPostalCode", "BillingCountry",
        ],
        required: ["Name"],
        readOnly: [],
        children: ["Contacts": Child(object: "Contact", field: "AccountId")]
    )
    static let contact = SalesforceObjectType(
        name: "Contact",
        keyPrefix: "003",
        fields: audit + [
            "AccountId", "FirstName", "LastName", "Email", "Phone", "Title", "MailingStreet", "MailingCity", "MailingState",
            "MailingPostalCode", "MailingCountry",
        ],
        required: ["LastName"],
        readOnly: [],
        children: [:]
    )
    static let opportunity = SalesforceObjectType(
        name: "Opportunity",
        keyPrefix: "006",
        fields: audit + ["Name", "StageName", "CloseDate", "Amount", "Probability", "AccountId", "Description", "IsClosed", "IsWon"],
        required: ["Name", "StageName", "CloseDate"],
        readOnly: ["IsClosed", "IsWon"],
        children: [
            "OpportunityLineItems": Child(object: "OpportunityLineItem", field: "OpportunityId"),
            "OpportunityContactRoles": Child(object: "OpportunityContactRole", field: "OpportunityId"),
        ]
    )
    static let opportunityLineItem = SalesforceObjectType(
        name: "OpportunityLineItem",
        keyPrefix: "00k",
        fields: audit + ["OpportunityId", "Product2Id", "Name", "Description", "Quantity", "UnitPrice", "TotalPrice", "ServiceDate"],
        required: ["OpportunityId", "Quantity"],
        readOnly: ["Name"],
        children: [:]
    )
    /// A contact's part in an opportunity: how a deal names its people.
    static let opportunityContactRole = SalesforceObjectType(
        name: "OpportunityContactRole",
        keyPrefix: "00K",
        fields: audit + ["OpportunityId", "ContactId", "Role", "IsPrimary"],
        required: ["OpportunityId", "ContactId"],
        readOnly: [],
        children: [:]
    )
    static let product = SalesforceObjectType(
        name: "Product2",
        keyPrefix: "01t",
        fields: audit + ["Name", "ProductCode", "Description", "Family", "IsActive"],
        required: ["Name"],
        readOnly: [],
        children: [:]
    )
    static let order = SalesforceObjectType(
        name: "Order",
        keyPrefix: "801",
        fields: audit + ["AccountId", "EffectiveDate", "Status", "Pricebook2Id", "Description", "OrderNumber", "TotalAmount"],
        required: ["AccountId", "EffectiveDate", "Status"],
        readOnly: ["OrderNumber", "TotalAmount"],
        children: [:]
    )

    static let all = [account, contact, opportunity, opportunityLineItem, opportunityContactRole, product, order]

    /// The type a path or SOQL `FROM` names; sObject names are case-insensitive.
    static func named(_ name: String) -> SalesforceObjectType? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The field as the object spells it, or nil when it has no such field.
    func field(_ name: String) -> String? {
        if name.lowercased().hasSuffix("__c") { return name }
        return fields.first { $0.lowercased() == name.lowercased() }
    }

    /// Fields no write may set: the audit fields and the computed ones.
    func isReadOnly(_ field: String) -> Bool {
        (Self.audit.contains(field) && field != "OwnerId") || readOnly.contains(field)
    }
}
