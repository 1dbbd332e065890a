/// Stripe: payments, customers, invoices, subscriptions and the balance they settle into.
///
/// Authenticates with the organization's secret (`sk_…`) or restricted (`rk_…`) key as a Bearer
/// token; `webhook_secret` is the endpoint's signing secret (`whsec_…`) used to verify the
/// `Stripe-Signature` header. Field names are Stripe's own; amounts are integers in the currency's
/// minor unit (`money`); timestamps are unix seconds on the wire and advertised as `datetime`.
/// List filters only see creation, so every entity except `balance_transactions` (immutable, listed
/// by `created`) is synced incrementally through the Events API (`GET /v1/events`, 30 days).
/// Webhook events are Stripe's event `type` values.
///
/// The calls live in extensions: `+Listing` (full and incremental listings), `+Writes` (get,
/// create, update, delete), `+PaymentIntents` and `+Invoices` (Stripe's own flows),
/// `StripeWebhookVerifier` (inbound webhooks) and `StripeErrorMapper` (errors).
public struct StripeConnector: Connector {
    /// The credential, base URL and transport of one connection.
    let context: ConnectorContext

    public init(context: ConnectorContext) {
        self.context = context
    }

    /// The catalog entry for Stripe.
    public static let definition = ProviderDefinition(
        id: "stripe",
        displayName: "Stripe",
        category: .payments,
        description: "Sync customers, invoices, payments, products, prices, subscriptions, charges, payouts "
            + "and balance transactions from Stripe, push customers, invoices and products back, and react "
            + "to Stripe's signed webhooks as they happen. Connect with a secret or restricted API key.",
        docsURL: "https://docs.stripe.com/api",
        auth: AuthDefinition(
            kind: .apiKey,
            credentialFields: [
                CredentialField(
                    name: "api_key",
                    label: "Secret key",
                    secret: true,
                    description: "A secret key (sk_live_…, sk_test_…) or a restricted key (rk_live_…, rk_test_…) "
                        + "from the Stripe Dashboard, under Developers → API keys.",
                    pattern: "^(sk|rk)_(live|test)_[A-Za-z0-9]+$"
                ),
                CredentialField(
                    name: "webhook_secret",
                    label: "Webhook signing secret",
                    secret: true,
                    required: false,
                    description: "The signing secret (whsec_…) of the webhook endpoint that points at the hub; "
                        + "needed to verify Stripe's webhooks.",
                    pattern: "^whsec_[A-Za-z0-9_]+$"
                ),
            ]
        ),
        capabilities: [.apiKey, .webhooks, .sync, .push, .realtime],
        entities: StripeEntities.all,
        webhookEvents: [
            "customer.created", "customer.updated", "customer.deleted",
            "invoice.created", "invoice.updated", "invoice.deleted", "invoice.finalized", "invoice.paid",
            "invoice.payment_succeeded", "invoice.payment_failed", "invoice.voided", "invoice.marked_uncollectible",
            "payment_intent.created", "payment_intent.succeeded", "payment_intent.payment_failed",
            "payment_intent.canceled",
            "charge.succeeded", "charge.failed", "charge.updated", "charge.refunded",
            "product.created", "product.updated", "product.deleted",
            "price.created", "price.updated", "price.deleted",
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
            "payout.created", "payout.updated", "payout.paid", "payout.failed", "payout.canceled",
        ]
    )
}
