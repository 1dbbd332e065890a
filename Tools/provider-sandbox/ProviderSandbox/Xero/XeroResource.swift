/// One Accounting API collection the sandbox serves (`/api.xro/2.0/Invoices`): its id field,
/// whether it pages, where its status lives and which statuses mean it is gone, and how it is
/// seeded.
struct XeroResource: Sendable, Hashable {
    /// The collection's name in paths and bodies (`Invoices`).
    let name: String
    let idField: String
    /// Items, Accounts and TaxRates answer everything at once, as Xero's do.
    let paged: Bool
    let statusField: String
    /// Whether `includeArchived=true` is needed to see archived objects (Contacts).
    let hidesArchived: Bool
    /// The webhook category of its changes, for those Xero sends webhooks about.
    let eventCategory: String?

    static let contacts = XeroResource(
        name: "Contacts",
        idField: "ContactID",
        paged: true,
        statusField: "ContactStatus",
        hidesArchived: true,
        eventCategory: "CONTACT"
    )
    static let invoices = XeroResource(
        name: "Invoices",
        idField: "InvoiceID",
        paged: true,
        statusField: "Status",
        hidesArchived: false,
        eventCategory: "INVOICE"
    )
    static let items = XeroResource(name: "Items", idField: "ItemID", paged: false, statusField: "Status", hidesArchived: false, eventCategory: nil)
    static let accounts = XeroResource(
        name: "Accounts",
        idField: "AccountID",
        paged: false,
        statusField: "Status",
        hidesArchived: false,
        eventCategory: nil
    )
    static let payments = XeroResource(
        name: "Payments",
        idField: "PaymentID",
        paged: true,
        statusField: "Status",
        hidesArchived: false,
        eventCategory: nil
    )
    static let creditNotes = XeroResource(
        name: "CreditNotes",
        idField: "CreditNoteID",
        paged: true,
        statusField: "Status",
        hidesArchived: false,
        eventCategory: "CREDITNOTE"
    )
    static let bankTransactions = XeroResource(
        name: "BankTransactions",
        idField: "BankTransactionID",
        paged: true,
        statusField: "Status",
        hidesArchived: false,
        eventCategory: nil
    )
    static let taxRates = XeroResource(
        name: "TaxRates",
        idField: "TaxType",
        paged: false,
        statusField: "Status",
        hidesArchived: false,
        eventCategory: nil
    )

    static let all = [contacts, invoices, items, accounts, payments, creditNotes, bankTransactions, taxRates]

    /// The resource a path segment names; Xero's paths are case-insensitive.
    static func named(_ segment: String) -> XeroResource? {
        all.first { $0.name.lowercased() == segment.lowercased() }
    }

    /// How many objects a tenant starts with: the configured volume for the transaction and
    /// contact collections, a fixed chart of accounts and set of tax rates.
    func seededCount(volume: Int) -> Int {
        switch name {
        case "Accounts": XeroSeed.accountCodes.count
        case "TaxRates": XeroSeed.taxRates.count
        default: volume
        }
    }
}
