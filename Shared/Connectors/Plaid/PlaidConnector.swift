/// Plaid: bank accounts and their transactions, read-only.
///
/// Connecting runs Plaid Link: the hub creates a link token with its own Plaid client id and
/// secret, the Link UI returns a public token, and the hub exchanges it for an access token that
/// does not expire (`/item/remove` revokes it). Nothing is entered by the organization. Field names
/// are Plaid's own, nested ones as dotted paths (`balances.current`); amounts are decimals, and a
/// positive transaction amount is money leaving the account. Transactions are incremental through
/// the `/transactions/sync` cursor (added, modified and removed); accounts are re-read whole.
/// Webhooks are verified with the `Plaid-Verification` ES256 JWT; event names are written
/// `<webhook_type>.<webhook_code>` (`TRANSACTIONS.SYNC_UPDATES_AVAILABLE`).
///
/// Credentials: the Item's `access_token` (absent while linking); the hub's own `client_id` and
/// `secret` go in every body too, added by the transport (`BodyClientCredentials`). The base URL is `https://production.plaid.com` (or the sandbox's `/plaid`).
public struct PlaidConnector: Connector {
    /// The API version every call names (`Plaid-Version`).
    public static let apiVersion = "2020-09-14"

    let context: ConnectorContext

    public init(context: ConnectorContext) {
        self.context = context
    }

    /// The catalog entry for Plaid.
    public static let definition = ProviderDefinition(
        id: "plaid",
        displayName: "Plaid",
        category: .banking,
        description: "Connect bank accounts through Plaid Link to import balances and transactions, kept "
            + "current as Plaid reports new, changed and removed transactions.",
        docsURL: "https://plaid.com/docs/api/",
        auth: AuthDefinition(kind: .plaidLink),
        capabilities: [.webhooks, .sync, .realtime],
        entities: [bankAccounts, bankTransactions],
        webhookEvents: [
            "TRANSACTIONS.SYNC_UPDATES_AVAILABLE",
            "ITEM.ERROR",
            "ITEM.LOGIN_REPAIRED",
            "ITEM.NEW_ACCOUNTS_AVAILABLE",
            "ITEM.PENDING_DISCONNECT",
            "ITEM.PENDING_EXPIRATION",
            "ITEM.USER_PERMISSION_REVOKED",
            "ITEM.USER_ACCOUNT_REVOKED",
            "ITEM.WEBHOOK_UPDATE_ACKNOWLEDGED",
        ]
    )

    static let bankAccounts = EntityDefinition(
        name: "bank_accounts",
        providerObject: "accounts",
        fields: [
            EntityField("account_id", .id, readOnly: true),
            EntityField("name", .string, readOnly: true),
            EntityField("official_name", .string, readOnly: true),
            EntityField("type", .string, readOnly: true, description: "depository, credit, loan, investment or other."),
            EntityField("subtype", .string, readOnly: true),
            EntityField("mask", .string, readOnly: true, description: "The last 2–4 digits of the account number."),
            EntityField("balances.available", .decimal, readOnly: true),
            EntityField("balances.current", .decimal, readOnly: true),
            EntityField("balances.limit", .decimal, readOnly: true),
            EntityField("balances.iso_currency_code", .currency, readOnly: true),
            EntityField("balances.unofficial_currency_code", .string, readOnly: true),
        ],
        operations: [.read],
        incremental: false
    )

    static let bankTransactions = EntityDefinition(
        name: "bank_transactions",
        providerObject: "transactions",
        fields: [
            EntityField("transaction_id", .id, readOnly: true),
            EntityField("account_id", .id, readOnly: true),
            EntityField("amount", .decimal, readOnly: true, description: "Positive when money leaves the account."),
            EntityField("iso_currency_code", .currency, readOnly: true),
            EntityField("unofficial_currency_code", .string, readOnly: true),
            EntityField("date", .date, readOnly: true),
            EntityField("authorized_date", .date, readOnly: true),
            EntityField("name", .string, readOnly: true),
            EntityField("merchant_name", .string, readOnly: true),
            EntityField("payment_channel", .string, readOnly: true, description: "online, in store or other."),
            EntityField("pending", .boolean, readOnly: true),
            EntityField("pending_transaction_id", .id, readOnly: true),
            EntityField("personal_finance_category.primary", .string, readOnly: true),
            EntityField("personal_finance_category.detailed", .string, readOnly: true),
        ],
        operations: [.read],
        incremental: true
    )
}
