import Hummingbird

/// The emulated Stripe API under `/stripe/v1/…`: customers, products, prices, invoices (with
/// invoice items as lines), payment intents (create, confirm, cancel), charges, subscriptions,
/// payouts, balance, balance transactions and events, with Stripe's list pagination and filters,
/// idempotency keys, errors and signed webhooks. Deterministic seeded data at the configured
/// volume; the admin API under `/_admin/stripe/…` changes it behind the API's back.
public struct StripeSandbox: SandboxProvider {
    public let id = "stripe"
    /// The API version the sandbox's objects and events are shaped after.
    static let apiVersion = "2024-06-20"

    let store: StripeStore
    let sender: StripeWebhookSender
    let configuration: SandboxConfiguration

    public init(configuration: SandboxConfiguration, webhooks: WebhookDispatcher) {
        self.configuration = configuration
        self.store = StripeStore(seed: configuration.seed, volume: configuration.volume)
        self.sender = StripeWebhookSender(secret: configuration.secrets.stripeWebhookSecret, webhooks: webhooks)
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        let v1 = group.group("v1").add(middleware: StripeAuthMiddleware(keys: configuration.secrets.stripeAPIKeys))
        StripeRoutes(store: store, sender: sender).add(to: v1)
    }

    public func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        StripeAdminRoutes(store: store, sender: sender, configuration: configuration).add(to: group)
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited(let seconds): StripeAPIError.rateLimited(retryAfterSeconds: seconds).response()
        case .serverError: StripeAPIError.serverError.response()
        case .unauthorized: StripeAPIError.expiredAPIKey.response()
        }
    }
}
