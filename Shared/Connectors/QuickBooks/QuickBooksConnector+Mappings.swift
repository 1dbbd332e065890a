/// QuickBooks Online's objects in the hub's canonical shapes. Ids are digit strings, amounts are
/// decimals in the object's `CurrencyRef` (`150.5` USD → 15050), items carry no currency (their
/// price assumes two decimals), and times carry the company's UTC offset (normalized to UTC).
/// Document lines (`Line`) map element by element into canonical lines: sales lines
/// (`SalesItemLineDetail`) on invoices and credit memos, expense lines on bills (account-based
/// pushed, item-based read); sub-total lines are left out. Pushed lines carry no `DetailType`:
/// the connector names it after the detail object a line has (`QuickBooksConnector.completingLines`).
extension QuickBooksConnector {
    public static var defaultFieldMappings: [String: FieldMapping] { QuickBooksMappings.all }
}

enum QuickBooksMappings {
    static let all: [String: FieldMapping] = [
        "customers": customers, "vendors": vendors, "products": products, "accounts": accounts, "tax_rates": taxRates,
        "invoices": invoices, "bills": bills, "payments": payments, "bill_payments": billPayments, "credit_notes": creditNotes,
        "expenses": expenses,
    ]

    private static let id = FieldRule.readOnly("id", "Id", .toString)
    private static let currency = FieldRule.field("currency", "CurrencyRef.value", .upper)
    private static let times = [
        FieldRule.readOnly("created_at", "MetaData.CreateTime", .isoToUTC),
        FieldRule.readOnly("updated_at", "MetaData.LastUpdatedTime", .isoToUTC),
    ]

    /// A decimal amount in the object's `CurrencyRef`.
    private static func money(_ target: String, _ source: String, direction: FieldRule.Direction = .pull) -> FieldRule {
        FieldRule(target: target, source: source, transforms: [.decimalToMinor(currencyPath: "CurrencyRef.value")], direction: direction)
    }

    /// An Intuit physical address (`Line1`, `CountrySubDivisionCode`, …) as the canonical address.
    private static func address(_ source: String) -> [FieldRule] {
        [
            ("line1", "Line1"), ("line2", "Line2"), ("city", "City"), ("region", "CountrySubDivisionCode"), ("postal_code", "PostalCode"),
            ("country", "Country"),
        ].map { canonical, intuit in FieldRule(target: "address.\(canonical)", source: "\(source).\(intuit)") }
    }

    /// The people fields customers and vendors share.
    private static let party: [FieldRule] = [
        .field("name", "DisplayName"),
        .field("first_name", "GivenName"),
        .field("last_name", "FamilyName"),
        .field("email", "PrimaryEmailAddr.Address"),
        .field("phone", "PrimaryPhone.FreeFormNumber"),
        currency,
        money("balance", "Balance"),
    ]

    /// A customer is never deleted in QuickBooks, only made inactive: `active` says which.
    static let customers = FieldMapping(
        rules: [id] + party + address("BillAddr") + [.field("note", "Notes"), .field("active", "Active")] + times
    )

    static let vendors = FieldMapping(
        rules: [id] + party + address("BillAddr") + [
            .field("company", "CompanyName"),
            .field("tax_number", "TaxIdentifier"),
            .field("active", "Active"),
        ] + times
    )

    static let products = FieldMapping(
        rules: [
            id,
            .field("name", "Name"),
            .field("description", "Description"),
            .field("active", "Active"),
            .field("type", "Type"),
            .field("sku", "Sku"),
            .field("price", "UnitPrice", .decimalToMinor(exponent: 2)),
        ] + times
    )

    static let accounts = FieldMapping(
        rules: [
            id,
            .field("name", "Name"),
            .field("code", "AcctNum"),
            .readOnly(
                "classification",
                "Classification",
                .lookup(["Asset": "asset", "Liability": "liability", "Equity": "equity", "Revenue": "revenue", "Expense": "expense"])
            ),
            .field("type", "AccountType"),
            .field("subtype", "AccountSubType"),
            .field("description", "Description"),
            currency,
            money("balance", "CurrentBalance"),
            .field("active", "Active"),
        ] + times
    )

    /// Tax codes are read only; their rates are separate `TaxRate` objects they reference.
    static let taxRates = FieldMapping(
        rules: [
            id,
            .readOnly("name", "Name"),
            .readOnly("code", "Name"),
            .readOnly("components", "SalesTaxRateList.TaxRateDetail"),
            .readOnly("active", "Active"),
        ] + times
    )

    /// What invoices, bills and credit memos share: number, dates, currency, total.
    private static let document: [FieldRule] = [
        id,
        .field("number", "DocNumber"),
        currency,
        .field("issue_date", "TxnDate"),
        money("total", "TotalAmt"),
        money("tax", "TxnTaxDetail.TotalTax"),
    ]

    /// QuickBooks' sub-total lines repeat the sum of the lines above them: not a canonical line.
    private static let subTotal = FieldRule.ElementFilter(source: "DetailType", values: ["SubTotalLineDetail"])

    /// The lines of sales documents (invoices, credit memos): `SalesItemLineDetail`.
    private static let salesLines = FieldRule.elements(
        "lines",
        "Line",
        skip: subTotal,
        [
            .field("description", "Description"),
            .field("quantity", "SalesItemLineDetail.Qty"),
            money("unit_amount", "SalesItemLineDetail.UnitPrice", direction: .both),
            money("amount", "Amount", direction: .both),
            .field("tax_rate_id", "SalesItemLineDetail.TaxCodeRef.value"),
            .field("product_id", "SalesItemLineDetail.ItemRef.value"),
        ]
    )

    /// The lines of bills: `AccountBasedExpenseLineDetail` (pushed) or `ItemBasedExpenseLineDetail` (read).
    private static let expenseLines = FieldRule.elements(
        "lines",
        "Line",
        skip: subTotal,
        [
            .field("description", "Description"),
            money("amount", "Amount", direction: .both),
            .field("account_id", "AccountBasedExpenseLineDetail.AccountRef.value"),
            .field("tax_rate_id", "AccountBasedExpenseLineDetail.TaxCodeRef.value"),
            .readOnly("product_id", "ItemBasedExpenseLineDetail.ItemRef.value"),
            .readOnly("quantity", "ItemBasedExpenseLineDetail.Qty"),
            money("unit_amount", "ItemBasedExpenseLineDetail.UnitPrice"),
        ]
    )

    static let invoices = FieldMapping(
        rules: document + [
            salesLines,
            .field("customer_id", "CustomerRef.value"),
            .field("due_date", "DueDate"),
            .field("description", "PrivateNote"),
            money("amount_due", "Balance"),
            money("amount_remaining", "Balance"),
        ] + times
    )

    static let bills = FieldMapping(
        rules: document + [
            expenseLines,
            .field("vendor_id", "VendorRef.value"),
            .field("due_date", "DueDate"),
            .field("description", "PrivateNote"),
            money("amount_due", "Balance"),
        ] + times
    )

    static let creditNotes = FieldMapping(
        rules: document + [
            salesLines,
            .readOnly("type", "Id", .constant("customer")),
            .field("customer_id", "CustomerRef.value"),
            money("remaining", "RemainingCredit"),
        ] + times
    )

    static let payments = FieldMapping(
        rules: [
            id,
            money("amount", "TotalAmt", direction: .both),
            currency,
            .field("customer_id", "CustomerRef.value"),
            .readOnly("invoice_id", "Line[0].LinkedTxn[0].TxnId"),
            .field("description", "PrivateNote"),
        ] + times
    )

    static let billPayments = FieldMapping(
        rules: [
            id,
            money("amount", "TotalAmt", direction: .both),
            currency,
            .field("vendor_id", "VendorRef.value"),
            .readOnly("bill_id", "Line[0].LinkedTxn[0].TxnId"),
            .field("account_id", "CheckPayment.BankAccountRef.value"),
            .field("date", "TxnDate"),
            .field("reference", "DocNumber"),
        ] + times
    )

    static let expenses = FieldMapping(
        rules: [
            id,
            money("amount", "TotalAmt"),
            currency,
            .field("date", "TxnDate"),
            .readOnly("vendor", "EntityRef.name"),
            .field("description", "PrivateNote"),
            .field("account_id", "AccountRef.value"),
            money("tax", "TxnTaxDetail.TotalTax"),
        ] + times
    )
}
