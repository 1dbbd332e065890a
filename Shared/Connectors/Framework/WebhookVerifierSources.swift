import Foundation
import HubCore
import NIOHTTP1

/// A provider that signs every webhook with the hub's own app credentials (Shopify's and
/// HubSpot's client secret, Plaid's published keys): one verifier serves every connection, and the event itself
/// names the account it belongs to.
public protocol AppWebhookVerifying: WebhookInterpreting {
    /// The verifier for the hub's registration at the provider, or nil when the hub has none
    /// configured (the provider's webhooks are then refused).
    static func webhookVerifier(context: ConnectorContext) -> (any WebhookVerifier)?
}

/// A provider that signs with a secret each connection holds (Stripe's endpoint secret): the
/// event is verified with the secrets of the connections it may belong to.
public protocol ConnectionWebhookVerifying: WebhookInterpreting {
    /// The verifier for one connection's credential values, or nil when it holds no secret;
    /// `context` is the provider's (transport, endpoints), for verifiers that fetch keys (PayPal).
    static func webhookVerifier(credentials: [String: String], context: ConnectorContext) -> (any WebhookVerifier)?

    /// The account the unverified request claims to be for (Stripe Connect's `account`), to find
    /// the connections whose secrets are worth trying; nil when it names none.
    static func claimedAccount(body: [UInt8], headers: HTTPHeaders) -> String?
}

/// A provider that checks an endpoint by sending a signed challenge it expects echoed (Slack's
/// `url_verification`): the answer's JSON body, or nil for an ordinary event.
public protocol WebhookChallengeAnswering {
    static func challengeAnswer(for webhook: VerifiedWebhook) -> JSONValue?
}

/// A provider that wants every webhook answered with an empty body, refusals included (Xero: 200
/// and nothing else, or 401 — its intent-to-receive check fails on any body).
public protocol EmptyWebhookAcknowledging {}

extension XeroConnector: EmptyWebhookAcknowledging {}

extension StripeConnector: ConnectionWebhookVerifying {
    public static func webhookVerifier(credentials: [String: String], context _: ConnectorContext) -> (any WebhookVerifier)? {
        guard let secret = credentials["webhook_secret"], !secret.isEmpty else { return nil }
        return StripeWebhookVerifier(secret: secret)
    }

    public static func claimedAccount(body: [UInt8], headers: HTTPHeaders) -> String? {
        JSONReader.parse(body)?[stripe: "account"]?.stripeString
    }
}

extension PlaidConnector: AppWebhookVerifying {
    /// The verification keys come from Plaid's API, with the client credentials the transport
    /// adds or has added.
    public static func webhookVerifier(context: ConnectorContext) -> (any WebhookVerifier)? {
        guard context.transport.bodyCredentials != nil else { return nil }
        return PlaidWebhookVerifier(context: context)
    }
}

extension QuickBooksConnector: AppWebhookVerifying {
    /// Intuit signs with the app's verifier token (`HUB_PROVIDER_QUICKBOOKS_WEBHOOK_SECRET`).
    public static func webhookVerifier(context: ConnectorContext) -> (any WebhookVerifier)? {
        guard let token = context.webhookSecret, !token.isEmpty else { return nil }
        return QuickBooksWebhookVerifier(verifierTokens: [token])
    }
}
