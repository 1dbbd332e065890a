/// QuickBooks Online (Intuit): the customers, vendors, items, accounts, tax codes, invoices, bills,
/// payments, bill payments, credit memos and purchases of one company.
///
/// OAuth 2.0 authorization code; the callback adds `realmId`, the company every call is made for.
/// Access tokens last an hour and a refresh may return a new refresh token, so the latest one is
/// always stored. Field names are QuickBooks' own, nested ones as dotted paths
/// (`CustomerRef.value`, `MetaData.LastUpdatedTime`); amounts are decimals. Updates and deletes
/// carry `Id` and `SyncToken`. Full reads page through the query language; incremental reads use
/// change data capture (`/cdc`, 30 days, deletions included). Webhook events are data-change
/// notifications written `<entity name>.<operation>` (`Invoice.Create`), from each entry of
/// `dataChangeEvent.entities` (or each CloudEvent).
public struct QuickBooksConnector: Connector {
    /// The credential, base URL, transport and client registration of one connection.
    let context: ConnectorContext

    public init(context: ConnectorContext) {
        self.context = context
    }

    /// The catalog entry for QuickBooks Online.
    public static let definition = ProviderDefinition(
        id: "quickbooks",
        displayName: "QuickBooks Online",
        category: .accounting,
        description: "Sync customers, vendors, products and services, accounts, tax codes, invoices, bills, "
            + "payments, bill payments, credit memos and expenses with QuickBooks Online in both directions, "
            + "with changes arriving through Intuit's webhooks.",
        docsURL: "https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/account",
        auth: AuthDefinition(
            kind: .oauth2AuthorizationCode,
            oauth: OAuthDefinition(
                authorizeURL: "https://appcenter.intuit.com/connect/oauth2",
                tokenURL: "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
                revokeURL: "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
                scopes: ["com.intuit.quickbooks.accounting"],
                supportsPKCE: false,
                rotatesRefreshToken: true,
                accessTokenLifetime: 3600
            )
        ),
        capabilities: [.oauth, .webhooks, .sync, .push, .realtime],
        entities: QuickBooksEntities.all,
        webhookEvents: [
            "Customer.Create", "Customer.Update", "Customer.Delete", "Customer.Merge",
            "Invoice.Create", "Invoice.Update", "Invoice.Delete", "Invoice.Void",
            "Payment.Create", "Payment.Update", "Payment.Delete", "Payment.Void",
            "Item.Create", "Item.Update", "Item.Delete", "Item.Merge",
            "Purchase.Create", "Purchase.Update", "Purchase.Delete", "Purchase.Void",
            "Vendor.Create", "Vendor.Update", "Vendor.Delete", "Vendor.Merge",
            "Account.Create", "Account.Update", "Account.Delete", "Account.Merge",
            "Bill.Create", "Bill.Update", "Bill.Delete",
            "BillPayment.Create", "BillPayment.Update", "BillPayment.Delete", "BillPayment.Void",
            "CreditMemo.Create", "CreditMemo.Update", "CreditMemo.Delete", "CreditMemo.Void",
        ]
    )
}
