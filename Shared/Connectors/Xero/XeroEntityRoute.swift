import HubCore

/// Where a hub entity lives in Xero's Accounting API: its collection, id field and the `where`
/// filter that cuts it out of a shared collection (contacts are customers and suppliers at once,
/// invoices are sales invoices and bills), and which statuses mean the object is gone.
struct XeroEntityRoute: Sendable {
    var entity: String
    /// The collection in paths and bodies (`Invoices`).
    var resource: String
    var idField: String
    var filter: String?
    var statusField: String
    /// Statuses the hub treats as deletions.
    var goneStatuses: Set<String>
    /// Whether Xero pages the collection (Items, Accounts and TaxRates answer everything at once).
    var paged: Bool
    /// Whether the collection takes `If-Modified-Since` (TaxRates do not).
    var incremental: Bool
    /// A field a created object must carry that the hub's entity implies (`Type` of an invoice).
    var implied: [String: String] = [:]
    /// Whether an object of the shared collection belongs to the entity, where that can change
    /// (a contact that only bought becomes a supplier): an incremental listing then reads the
    /// changed objects without `filter` and reports those that left as deletions. Filtered, a
    /// contact that stopped being a customer was never seen again, and stayed one in the hub.
    var member: (@Sendable (JSONValue) -> Bool)?

    static let all: [XeroEntityRoute] = [
        // A contact that neither buys nor sells yet (a new one) is a customer, so nothing the hub
        // creates goes missing; a contact that does both is a customer and a vendor.
        XeroEntityRoute(
            entity: "customers",
            resource: "Contacts",
            idField: "ContactID",
            filter: "IsCustomer==true OR IsSupplier==false",
            statusField: "ContactStatus",
            goneStatuses: ["ARCHIVED"],
            paged: true,
            incremental: true,
            member: { $0["IsCustomer"]?.boolValue == true || $0["IsSupplier"]?.boolValue != true }
        ),
        XeroEntityRoute(
            entity: "vendors",
            resource: "Contacts",
            idField: "ContactID",
            filter: "IsSupplier==true",
            statusField: "ContactStatus",
            goneStatuses: ["ARCHIVED"],
            paged: true,
            incremental: true,
            member: { $0["IsSupplier"]?.boolValue == true }
        ),
        XeroEntityRoute(
            entity: "invoices",
            resource: "Invoices",
            idField: "InvoiceID",
            filter: #"Type=="ACCREC""#,
            statusField: "Status",
            goneStatuses: ["VOIDED", "DELETED"],
            paged: true,
            incremental: true,
            implied: ["Type": "ACCREC"]
        ),
        XeroEntityRoute(
            entity: "bills",
            resource: "Invoices",
            idField: "InvoiceID",
            filter: #"Type=="ACCPAY""#,
            statusField: "Status",
            goneStatuses: ["VOIDED", "DELETED"],
            paged: true,
            incremental: true,
            implied: ["Type": "ACCPAY"]
        ),
        XeroEntityRoute(
            entity: "payments",
            resource: "Payments",
            idField: "PaymentID",
            statusField: "Status",
            goneStatuses: ["DELETED"],
            paged: true,
            incremental: true
        ),
        XeroEntityRoute(
            entity: "credit_notes",
            resource: "CreditNotes",
            idField: "CreditNoteID",
            statusField: "Status",
            goneStatuses: ["VOIDED", "DELETED"],
            paged: true,
            incremental: true
        ),
        XeroEntityRoute(
            entity: "bank_transactions",
            resource: "BankTransactions",
            idField: "BankTransactionID",
            statusField: "Status",
            goneStatuses: ["DELETED"],
            paged: true,
            incremental: true
        ),
        XeroEntityRoute(
            entity: "products",
            resource: "Items",
            idField: "ItemID",
            statusField: "Status",
            goneStatuses: [],
            paged: false,
            incremental: true
        ),
        XeroEntityRoute(
            entity: "accounts",
            resource: "Accounts",
            idField: "AccountID",
            statusField: "Status",
            goneStatuses: ["ARCHIVED", "DELETED"],
            paged: false,
            incremental: true
        ),
        XeroEntityRoute(
            entity: "tax_rates",
            resource: "TaxRates",
            idField: "TaxType",
            statusField: "Status",
            goneStatuses: ["DELETED", "ARCHIVED"],
            paged: false,
            incremental: false
        ),
    ]

    static func route(for entity: String) -> XeroEntityRoute? {
        all.first { $0.entity == entity }
    }

    /// The hub entities a webhook's `eventCategory` may have changed.
    static func entities(forEventCategory category: String) -> [String] {
        switch category {
        case "CONTACT": ["customers", "vendors"]
        case "INVOICE": ["invoices", "bills"]
        case "CREDITNOTE": ["credit_notes"]
        default: []
        }
    }
}
