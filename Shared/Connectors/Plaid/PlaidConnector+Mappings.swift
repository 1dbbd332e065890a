/// Plaid's accounts and transactions in the hub's canonical shapes, all pull-only (Plaid is
/// read-only). Amounts are decimal numbers in the record's ISO currency; a transaction's positive
/// amount is money leaving the account, which is the canonical sign too. Records in an
/// unofficial currency (crypto) have no ISO code, so their amounts are reported as mapping errors
/// rather than guessed at two decimals.
extension PlaidConnector {
    public static var defaultFieldMappings: [String: FieldMapping] { PlaidMappings.all }
}

enum PlaidMappings {
    static let all: [String: FieldMapping] = ["bank_accounts": bankAccounts, "bank_transactions": bankTransactions]

    private static func balance(_ target: String, _ source: String) -> FieldRule {
        .readOnly(target, source, .decimalToMinor(currencyPath: "balances.iso_currency_code"))
    }

    static let bankAccounts = FieldMapping(rules: [
        .readOnly("id", "account_id"),
        .readOnly("name", "name"),
        .readOnly("official_name", "official_name"),
        .readOnly("type", "type"),
        .readOnly("subtype", "subtype"),
        .readOnly("mask", "mask"),
        balance("available_balance", "balances.available"),
        balance("current_balance", "balances.current"),
        balance("credit_limit", "balances.limit"),
        .readOnly("currency", "balances.iso_currency_code", .upper),
        .readOnly("unofficial_currency", "balances.unofficial_currency_code"),
    ])

    static let bankTransactions = FieldMapping(rules: [
        .readOnly("id", "transaction_id"),
        .readOnly("account_id", "account_id"),
        .readOnly("amount", "amount", .decimalToMinor(currencyPath: "iso_currency_code")),
        .readOnly("currency", "iso_currency_code", .upper),
        .readOnly("unofficial_currency", "unofficial_currency_code"),
        .readOnly("date", "date"),
        .readOnly("authorized_date", "authorized_date"),
        .readOnly("description", "name"),
        .readOnly("merchant_name", "merchant_name"),
        .readOnly("payment_channel", "payment_channel"),
        .readOnly("pending", "pending"),
        .readOnly("pending_transaction_id", "pending_transaction_id"),
        .readOnly("category", "personal_finance_category.primary"),
        .readOnly("category_detailed", "personal_finance_category.detailed"),
    ])
}
