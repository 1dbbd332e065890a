/// PayPal: invoices (Invoicing v2), payments (Transaction Search) and disputes.
///
/// The organization enters its own REST app's client id and secret; the hub trades them for a
/// Bearer token (about 9 hours) with the client-credentials grant at `auth.tokenURL`, and calls
/// `api-m.sandbox.paypal.com` instead of `api-m.paypal.com` when `environment` is `sandbox`.
/// Field names are PayPal's own, nested ones as dotted paths (`detail.invoice_number`); amounts are
/// decimal strings (`amount.value`). Webhooks are verified with PayPal's RSA transmission
/// signature (or its verify API); event names are PayPal's `event_type` values.
public struct PayPalConnector: Connector {
    /// The credential, base URL, transport and client registration of one connection.
    let context: ConnectorContext

    public init(context: ConnectorContext) {
        self.context = context
    }

    /// The catalog entry for PayPal.
    public static let definition = ProviderDefinition(
        id: "paypal",
        displayName: "PayPal",
        category: .payments,
        description: "Sync PayPal invoices, payments and disputes, push invoices as drafts, and react to "
            + "PayPal's webhooks. Connect with the client id and secret of your PayPal REST app.",
        docsURL: "https://developer.paypal.com/api/rest/",
        auth: AuthDefinition(
            kind: .oauth2ClientCredentials,
            credentialFields: [
                CredentialField(
                    name: "client_id",
                    label: "Client ID",
                    secret: false,
                    description: "The client id of your REST app in the PayPal Developer Dashboard.",
                    pattern: "^[A-Za-z0-9_-]+$"
                ),
                CredentialField(
                    name: "client_secret",
                    label: "Secret",
                    secret: true,
                    description: "The secret of the same REST app.",
                    pattern: "^[A-Za-z0-9_-]+$"
                ),
                CredentialField(
                    name: "environment",
                    label: "Environment",
                    secret: false,
                    required: false,
                    description: "live (the default) or sandbox: which PayPal environment the app belongs to.",
                    pattern: "^(live|sandbox)$"
                ),
                CredentialField(
                    name: "webhook_id",
                    label: "Webhook ID",
                    secret: false,
                    required: false,
                    description: "The id PayPal shows for the webhook you add to the same app with the hub's endpoint "
                        + "URL (…/webhooks/paypal/<connection id>); PayPal's webhooks are refused until it is set.",
                    pattern: "^[A-Za-z0-9-]+$"
                ),
            ],
            tokenURL: "https://api-m.paypal.com/v1/oauth2/token"
        ),
        capabilities: [.apiKey, .webhooks, .sync, .push, .realtime],
        entities: PayPalEntities.all,
        webhookEvents: [
            "INVOICING.INVOICE.CREATED", "INVOICING.INVOICE.UPDATED", "INVOICING.INVOICE.SCHEDULED",
            "INVOICING.INVOICE.PAID", "INVOICING.INVOICE.CANCELLED", "INVOICING.INVOICE.REFUNDED",
            "PAYMENT.CAPTURE.COMPLETED", "PAYMENT.SALE.COMPLETED", "CUSTOMER.DISPUTE.CREATED",
        ]
    )
}
