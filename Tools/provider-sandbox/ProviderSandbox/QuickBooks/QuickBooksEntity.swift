/// The Accounting API entities the sandbox emulates, by their wire names. Name lists (customers,
/// vendors, items, accounts, tax codes) are never deleted, only made inactive, and queries see
/// only their active members unless they filter on `Active`; transactions can be deleted.
enum QuickBooksEntity: String, CaseIterable, Sendable {
    case customer = "Customer"
    case vendor = "Vendor"
    case item = "Item"
    case account = "Account"
    case taxCode = "TaxCode"
    case invoice = "Invoice"
    case bill = "Bill"
    case payment = "Payment"
    case billPayment = "BillPayment"
    case creditMemo = "CreditMemo"
    case purchase = "Purchase"

    /// The entity a path segment or query names, in any case (`invoice`, `Invoice`).
    init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
        self = found
    }

    var isNameList: Bool {
        switch self {
        case .customer, .vendor, .item, .account, .taxCode: true
        default: false
        }
    }

    /// Tax codes are read only through the API (they are set up in the product).
    var isReadOnly: Bool { self == .taxCode }

    /// The top-level members a create must carry; a name list needs its name.
    var required: [String] {
        switch self {
        case .customer, .vendor: ["DisplayName"]
        case .item: ["Name", "Type"]
        case .account: ["Name", "AccountType"]
        case .taxCode: []
        case .invoice, .creditMemo: ["CustomerRef", "Line"]
        case .bill: ["VendorRef", "Line"]
        case .payment: ["CustomerRef", "TotalAmt"]
        case .billPayment: ["VendorRef", "PayType", "TotalAmt", "Line"]
        case .purchase: ["AccountRef", "PaymentType", "Line"]
        }
    }

    /// References a create or update must make to objects that exist: (member, entity).
    var references: [(member: String, entity: QuickBooksEntity)] {
        switch self {
        case .invoice, .creditMemo, .payment: [("CustomerRef", .customer)]
        case .bill, .billPayment: [("VendorRef", .vendor)]
        case .purchase: [("AccountRef", .account)]
        default: []
        }
    }

    /// Transactions whose total is the sum of their lines' amounts.
    var totalsLines: Bool {
        switch self {
        case .invoice, .bill, .creditMemo, .purchase: true
        default: false
        }
    }
}
