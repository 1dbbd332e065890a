import Hummingbird

/// The emulated PayPal: the client-credentials OAuth server (`PayPalOAuthRoutes`), the data
/// APIs the connector reads and writes — Transaction Search (`/v1/reporting/transactions`),
/// Invoicing v2 (`/v2/invoicing/invoices`, drafts idempotent on `PayPal-Request-Id`) and
/// Disputes (`/v1/customer/disputes`) — in PayPal's wire format, with its error body and its
/// `RATE_LIMIT_REACHED` for injected faults, and its webhooks (signed events, the signing
/// certificate). One merchant, seeded at the configured volume and reseeded at any volume
/// through `PUT /_admin/paypal/volumes`.
public struct PayPalProvider: SandboxProvider {
    /// The access token that reaches the merchant without a client-credentials grant (tests).
    public static let seededToken = "paypal-sandbox-access-token"

    public let id = "paypal"
    public let oauth: PayPalOAuthRoutes
    let store: PayPalStore
    let webhooks: PayPalWebhookRoutes

    public init(configuration: SandboxConfiguration, webhooks dispatcher: WebhookDispatcher, oauth: PayPalOAuthRoutes) {
        self.oauth = oauth
        store = PayPalStore(merchantID: oauth.server.account.id, volume: configuration.volume, seed: configuration.seed)
        webhooks = PayPalWebhookRoutes(sender: PayPalWebhookSender(dispatcher: dispatcher))
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addRoutes(to: group)
        PayPalRoutes(provider: self).add(to: group)
        webhooks.addRoutes(to: group)
    }

    public func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addAdminRoutes(to: group)
        PayPalAdminRoutes(provider: self).add(to: group)
        webhooks.addAdminRoutes(to: group)
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        oauth.faultResponse(fault)
    }

    /// Whether a bearer token reaches the merchant: the seeded one, or one the OAuth server issued
    /// and has not ended.
    func authorizes(_ token: String) -> Bool {
        token == Self.seededToken || oauth.server.validate(token) != nil
    }
}
