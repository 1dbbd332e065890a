import Hummingbird

/// The emulated Xero: the identity server and `/connections` (`XeroOAuthRoutes`) and the
/// Accounting API under `/xero/api.xro/2.0/…` (Contacts, Invoices, Items, Accounts, Payments,
/// CreditNotes, BankTransactions, TaxRates), one ledger per tenant seeded at the configured
/// volume when first called, with Xero's paging, `If-Modified-Since`, `where`, `order`,
/// `Idempotency-Key`, `ValidationErrors`, rate limits and signed webhooks.
public struct XeroProvider: SandboxProvider {
    /// The access token that reaches `seededTenantID` without an OAuth dance (tests, benchmarks).
    public static let seededToken = "xero-sandbox-access-token"
    public static let seededTenantID = "3f8b5c2e-7a41-4d6b-9e0c-5a1d2b3c4d5e"
    /// The key the sandbox signs webhooks with (Xero shows an app's key in its developer portal).
    public static let webhookKey = "xero-sandbox-webhook-key"

    public let id = "xero"
    public let oauth: XeroOAuthRoutes
    let store: XeroStore
    let limiter = XeroRateLimiter()
    let sender: XeroWebhookSender

    public init(configuration: SandboxConfiguration, webhooks: WebhookDispatcher, oauth: XeroOAuthRoutes) {
        self.oauth = oauth
        store = XeroStore(volume: configuration.volume)
        sender = XeroWebhookSender(key: Self.webhookKey, dispatcher: webhooks)
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addRoutes(to: group)
        XeroRoutes(provider: self).add(to: group.group("api.xro/2.0"))
    }

    public func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addAdminRoutes(to: group)
        XeroAdminRoutes(provider: self).add(to: group)
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        oauth.faultResponse(fault)
    }

    /// The tenants a bearer token reaches: the seeded one, or the organisations the user ticked
    /// when consenting to the grant the token belongs to.
    func tenants(forToken token: String) -> [String]? {
        if token == Self.seededToken { return [Self.seededTenantID] }
        return oauth.server.validate(token)?.account.consented.map(\.id)
    }
}

extension XeroProvider {
    /// The id of the index-th seeded object of a collection (`Invoices`), the same in every tenant.
    public static func seededID(_ resource: String, _ index: Int) -> String {
        XeroSeed.id(resource, index)
    }
}
