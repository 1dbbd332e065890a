/// Xero: contacts (as customers and vendors), items, accounts, tax rates, invoices and bills,
/// payments, credit notes and bank transactions of one organisation (tenant).
///
/// OAuth 2.0 authorization code with PKCE; access tokens last 30 minutes and every refresh returns
/// a new refresh token. After connecting, `GET https://api.xero.com/connections` lists the tenants
/// the token reaches; each call names one in `xero-tenant-id`. The scopes are Xero's granular ones,
/// the only ones open to apps created since 2 March 2026 (`accounting.transactions` is retired).
/// Field names are Xero's own, nested ones as dotted paths (`Contact.ContactID`); amounts are
/// decimals; dates arrive in Microsoft JSON form (`/Date(…)/`). Reads are incremental with the
/// `If-Modified-Since` header. Webhook events are written `<eventCategory>.<eventType>`
/// (`INVOICE.UPDATE`).
public struct XeroConnector: Connector {
    /// The credential, base URL, transport and client registration of one connection.
    let context: ConnectorContext

    public init(context: ConnectorContext) {
        self.context = context
    }

    /// The catalog entry for Xero.
    public static let definition = ProviderDefinition(
        id: "xero",
        displayName: "Xero",
        category: .accounting,
        description: "Sync customers, suppliers, items, accounts, tax rates, invoices, bills, payments, credit notes "
            + "and bank transactions with Xero, push contacts, items and invoices back, and pull contact, invoice "
            + "and credit note changes as Xero's webhooks announce them.",
        docsURL: "https://developer.xero.com/documentation/api/accounting/overview",
        auth: AuthDefinition(
            kind: .oauth2AuthorizationCode,
            oauth: OAuthDefinition(
                authorizeURL: "https://login.xero.com/identity/connect/authorize",
                tokenURL: "https://identity.xero.com/connect/token",
                revokeURL: "https://identity.xero.com/connect/revocation",
                scopes: [
                    "offline_access",
                    "accounting.contacts",
                    "accounting.invoices",
                    "accounting.payments",
                    "accounting.banktransactions",
                    // Items are written through the settings scope; it covers reading accounts and tax rates.
                    "accounting.settings",
                ],
                supportsPKCE: true,
                rotatesRefreshToken: true,
                accessTokenLifetime: 1800
            )
        ),
        capabilities: [.oauth, .webhooks, .sync, .push, .realtime],
        entities: XeroEntities.all,
        webhookEvents: ["CONTACT.CREATE", "CONTACT.UPDATE", "INVOICE.CREATE", "INVOICE.UPDATE", "CREDITNOTE.CREATE", "CREDITNOTE.UPDATE"]
    )
}
