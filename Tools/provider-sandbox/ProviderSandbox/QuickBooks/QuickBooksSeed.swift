import HubCore

/// A company's starting data: `count(entity)` objects of each entity with ids `1…count`,
/// generated from the seed so every run names the same objects. Each object draws from its own
/// generator position, so any object can be generated alone from its index and nothing is kept
/// until it changes. Seeded objects are dated one minute apart going back from a fixed instant,
/// more than 30 days ago: change data capture sees only what changed since.
struct QuickBooksSeed: Sendable {
    /// 2025-01-01T00:00:00Z: the newest seeded object was last updated then.
    static let epoch = 1_735_689_600
    /// Tax codes are set up once per company; a handful of them whatever the volume.
    static let taxCodes = 4

    let seed: UInt64
    let volumes: [QuickBooksEntity: Int]

    init(seed: UInt64, volume: Int, overrides: [QuickBooksEntity: Int] = [:]) {
        self.seed = seed
        var volumes: [QuickBooksEntity: Int] = [:]
        for entity in QuickBooksEntity.allCases {
            volumes[entity] = max(0, overrides[entity] ?? (entity == .taxCode ? Self.taxCodes : volume))
        }
        self.volumes = volumes
    }

    func count(_ entity: QuickBooksEntity) -> Int { volumes[entity] ?? 0 }

    /// Last-updated (and created) time of the object at `index`.
    func updated(_ entity: QuickBooksEntity, _ index: Int) -> Int {
        Self.epoch - (count(entity) - 1 - index) * 60
    }

    func object(_ entity: QuickBooksEntity, _ index: Int) -> JSONObject {
        var random = SeededGenerator(seed: seed ^ SeededGenerator.stableHash(entity.rawValue), skipping: index * 8)
        let id = index + 1
        let cents = 1_000 + Int(random.next() % 200_000)
        var object: JSONObject
        switch entity {
        case .customer:
            let (given, family) = Self.person(&random)
            object = [
                "DisplayName": .string("\(given) \(family) \(id)"), "GivenName": .string(given), "FamilyName": .string(family),
                "CompanyName": .string("\(family) Trading \(id)"),
                "PrimaryEmailAddr": ["Address": .string("\(given.lowercased()).\(family.lowercased())\(id)@example.com")],
                "PrimaryPhone": ["FreeFormNumber": .string("(555) 01\(id % 10)-\(1000 + id % 9000)")],
                "BillAddr": Self.address(&random, id: id), "Balance": 0, "Active": true, "Taxable": false,
                "CurrencyRef": Self.usd, "PreferredDeliveryMethod": "Print",
            ]
        case .vendor:
            let (given, family) = Self.person(&random)
            object = [
                "DisplayName": .string("\(family) Supplies \(id)"), "CompanyName": .string("\(family) Supplies \(id)"),
                "GivenName": .string(given), "FamilyName": .string(family),
                "PrimaryEmailAddr": ["Address": .string("billing\(id)@\(family.lowercased())-supplies.example.com")],
                "BillAddr": Self.address(&random, id: id), "Balance": 0, "Active": true, "Vendor1099": false,
                "AcctNum": .string("V-\(10_000 + id)"), "CurrencyRef": Self.usd,
            ]
        case .item:
            object = [
                "Name": .string("Service \(id)"), "Description": .string("Consulting service \(id)"), "Type": "Service",
                "Sku": .string("SKU-\(id)"), "UnitPrice": Self.money(cents), "Active": true, "Taxable": false,
                "IncomeAccountRef": ["value": "1", "name": "Services"], "TrackQtyOnHand": false,
            ]
        case .account:
            let kinds: [(String, String, String)] = [
                ("Income", "ServiceFeeIncome", "Revenue"), ("Expense", "OfficeGeneralAdministrativeExpenses", "Expense"),
                ("Bank", "Checking", "Asset"), ("Accounts Receivable", "AccountsReceivable", "Asset"),
                ("Accounts Payable", "AccountsPayable", "Liability"), ("Credit Card", "CreditCard", "Liability"),
            ]
            let kind = kinds[index % kinds.count]
            object = [
                "Name": .string(index == 0 ? "Services" : "\(kind.0) \(id)"), "AccountType": .string(kind.0),
                "AccountSubType": .string(kind.1), "Classification": .string(kind.2), "AcctNum": .string(String(1_000 + id)),
                "CurrentBalance": Self.money(cents), "Active": true, "SubAccount": false, "CurrencyRef": Self.usd,
                "FullyQualifiedName": .string(index == 0 ? "Services" : "\(kind.0) \(id)"),
            ]
        case .taxCode:
            let rates = [0, 5, 8, 10]
            let rate = rates[index % rates.count]
            object = [
                "Name": .string(rate == 0 ? "Exempt" : "Tax \(rate)%"), "Description": .string("Sales tax at \(rate)%"),
                "Active": true, "Taxable": .bool(rate > 0), "TaxGroup": false, "Hidden": false,
                "SalesTaxRateList": ["TaxRateDetail": [["TaxRateRef": ["value": .string(String(id)), "name": .string("Rate \(rate)%")]]]],
                "PurchaseTaxRateList": ["TaxRateDetail": []],
            ]
        case .invoice, .creditMemo:
            let customer = index % max(1, count(.customer)) + 1
            let item = index % max(1, count(.item)) + 1
            let quantity = 1 + Int(random.next() % 5)
            let amount = cents * quantity
            object = [
                "DocNumber": .string(String((entity == .invoice ? 1_000 : 5_000) + id)),
                "TxnDate": .string(QuickBooksTime.date(updated(entity, index))),
                "CustomerRef": ["value": .string(String(customer)), "name": .string("Customer \(customer)")],
                "Line": [
                    Self.salesLine(amount: amount, unit: cents, quantity: quantity, item: item),
                    ["Amount": Self.money(amount), "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": [:]],
                ],
                "TotalAmt": Self.money(amount), "Balance": Self.money(entity == .invoice && index % 3 == 0 ? 0 : amount),
                "CurrencyRef": Self.usd, "TxnTaxDetail": ["TotalTax": 0], "PrivateNote": "",
            ]
            if entity == .invoice {
                object["DueDate"] = .string(QuickBooksTime.date(updated(entity, index) + 30 * 86_400))
                object["EmailStatus"] = "NotSet"
            } else {
                object["RemainingCredit"] = Self.money(amount)
            }
        case .bill:
            let vendor = index % max(1, count(.vendor)) + 1
            object = [
                "DocNumber": .string("B-\(id)"), "TxnDate": .string(QuickBooksTime.date(updated(entity, index))),
                "DueDate": .string(QuickBooksTime.date(updated(entity, index) + 30 * 86_400)),
                "VendorRef": ["value": .string(String(vendor)), "name": .string("Vendor \(vendor)")],
                "APAccountRef": ["value": "5", "name": "Accounts Payable"],
                "Line": [Self.expenseLine(amount: cents, account: "2")], "TotalAmt": Self.money(cents),
                "Balance": Self.money(cents), "CurrencyRef": Self.usd,
            ]
        case .payment:
            let invoice = index % max(1, count(.invoice)) + 1
            let customer = (invoice - 1) % max(1, count(.customer)) + 1
            object = [
                "TxnDate": .string(QuickBooksTime.date(updated(entity, index))),
                "CustomerRef": ["value": .string(String(customer)), "name": .string("Customer \(customer)")],
                "TotalAmt": Self.money(cents), "UnappliedAmt": 0, "PaymentRefNum": .string("P-\(id)"),
                "DepositToAccountRef": ["value": "3"], "CurrencyRef": Self.usd,
                "Line": [["Amount": Self.money(cents), "LinkedTxn": [["TxnId": .string(String(invoice)), "TxnType": "Invoice"]]]],
            ]
        case .billPayment:
            let bill = index % max(1, count(.bill)) + 1
            let vendor = (bill - 1) % max(1, count(.vendor)) + 1
            object = [
                "TxnDate": .string(QuickBooksTime.date(updated(entity, index))),
                "VendorRef": ["value": .string(String(vendor)), "name": .string("Vendor \(vendor)")], "PayType": "Check",
                "CheckPayment": ["BankAccountRef": ["value": "3", "name": "Checking"], "PrintStatus": "NotSet"],
                "TotalAmt": Self.money(cents), "CurrencyRef": Self.usd, "DocNumber": .string("BP-\(id)"),
                "Line": [["Amount": Self.money(cents), "LinkedTxn": [["TxnId": .string(String(bill)), "TxnType": "Bill"]]]],
            ]
        case .purchase:
            object = [
                "TxnDate": .string(QuickBooksTime.date(updated(entity, index))), "PaymentType": "Cash",
                "AccountRef": ["value": "3", "name": "Checking"], "Line": [Self.expenseLine(amount: cents, account: "2")],
                "TotalAmt": Self.money(cents), "CurrencyRef": Self.usd,
            ]
        }
        object["Id"] = .string(String(id))
        object["SyncToken"] = "0"
        object["domain"] = "QBO"
        object["sparse"] = false
        let time = JSONValue.string(QuickBooksTime.string(updated(entity, index)))
        object["MetaData"] = ["CreateTime": time, "LastUpdatedTime": time]
        return object
    }

    static let usd: JSONValue = ["value": "USD", "name": "United States Dollar"]

    /// A decimal amount from cents, as the API writes money (a JSON number).
    static func money(_ cents: Int) -> JSONValue {
        .number(Double(cents) / 100)
    }

    static func salesLine(amount: Int, unit: Int, quantity: Int, item: Int) -> JSONValue {
        [
            "Id": "1", "LineNum": 1, "Amount": money(amount), "Description": .string("Service \(item)"),
            "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": [
                "ItemRef": ["value": .string(String(item)), "name": .string("Service \(item)")], "Qty": .number(Double(quantity)),
                "UnitPrice": money(unit), "TaxCodeRef": ["value": "NON"],
            ],
        ]
    }

    static func expenseLine(amount: Int, account: String) -> JSONValue {
        [
            "Id": "1", "Amount": money(amount), "DetailType": "AccountBasedExpenseLineDetail",
            "AccountBasedExpenseLineDetail": ["AccountRef": ["value": .string(account)], "TaxCodeRef": ["value": "NON"]],
        ]
    }

    private static let givenNames = ["Amy", "Bill", "Carla", "Dinesh", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas"]
    private static let familyNames = ["Lopez", "Nguyen", "Okafor", "Schmidt", "Tanaka", "Rossi", "Dubois", "Kowalski", "Silva", "Moreau"]

    private static func person(_ random: inout SeededGenerator) -> (String, String) {
        (givenNames[Int(random.next() % 10)], familyNames[Int(random.next() % 10)])
    }

    private static func address(_ random: inout SeededGenerator, id: Int) -> JSONValue {
        let cities = [("Mountain View", "CA", "94043"), ("Austin", "TX", "73301"), ("Seattle", "WA", "98101"), ("Denver", "CO", "80202")]
        let city = cities[Int(random.next() % 4)]
        return [
            "Line1": .string("\(100 + id % 900) Main Street"), "City": .string(city.0), "CountrySubDivisionCode": .string(city.1),
            "PostalCode": .string(city.2), "Country": "USA",
        ]
    }
}
