/// Bank feeds (Plaid): accounts with their balances, and the transactions on them.
extension CanonicalSchema {
    static let bankingEntities = [bankAccounts, bankTransactions]

    static let bankAccounts = CanonicalEntity(
        name: "bank_accounts",
        fields: [
            .id,
            CanonicalField("name", .string),
            CanonicalField("official_name", .string),
            CanonicalField("type", .string, description: "depository, credit, loan, investment or other."),
            CanonicalField("subtype", .string),
            CanonicalField("mask", .string, description: "The last digits of the account number."),
            .money("available_balance"),
            .money("current_balance"),
            .money("credit_limit"),
            .currency,
            CanonicalField("unofficial_currency", .string, description: "A currency outside ISO 4217 (crypto), when there is no currency."),
        ]
    )

    static let bankTransactions = CanonicalEntity(
        name: "bank_transactions",
        fields: [
            .id,
            .reference("account_id", required: true),
            // The sign follows bank feeds (Plaid, Open Banking debits): money leaving is positive.
            .money("amount", required: true, description: "Positive when money leaves the account, negative when it arrives."),
            .currency,
            CanonicalField("unofficial_currency", .string),
            CanonicalField("date", .date, description: "The posting date (or the transaction date while pending)."),
            CanonicalField("authorized_date", .date),
            CanonicalField("description", .string),
            CanonicalField("merchant_name", .string),
            CanonicalField("payment_channel", .string),
            CanonicalField("pending", .boolean),
            .reference("pending_transaction_id"),
            CanonicalField("category", .string),
            CanonicalField("category_detailed", .string),
            CanonicalField("lines", .array, description: "An accounting ledger's lines (Xero), shaped as document lines."),
            .updatedAt,
        ]
    )
}
