import Foundation

/// How the sandbox starts: where it listens, how much data it seeds, and the secrets its
/// emulated providers sign and check with. Every value has a fixed default so tests and
/// benchmarks know them; `provider-sandbox --help` lists the flags.
public struct SandboxConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8090
    /// The seed of all generated data.
    public var seed: UInt64 = 42
    /// How many objects each seeded entity starts with. They are generated as they are read, so
    /// any volume starts at once (`provider-sandbox seed-benchmark` measures it).
    public var volume: Int = 25
    /// Secrets the emulated providers use (webhook signing, OAuth clients, API keys they accept).
    public var secrets = SandboxSecrets()

    public init() {}
}

/// Credentials the sandbox accepts and signs with. Fixed, well-known values: the sandbox is a
/// development tool and never holds real secrets.
public struct SandboxSecrets: Sendable {
    /// Stripe secret keys the sandbox accepts (`Authorization: Bearer …`).
    public var stripeAPIKeys: Set<String> = ["sk_test_sandbox"]
    /// Stripe webhook endpoint secret (`whsec_…`) for signing events.
    public var stripeWebhookSecret = "whsec_sandbox_stripe"
    /// Shopify app client id and secret: OAuth, webhook HMAC, callback HMAC.
    public var shopifyClientID = "shopify-sandbox-client"
    public var shopifyClientSecret = "shopify-sandbox-secret"
    /// Shopify shop domains that exist in the sandbox.
    public var shopifyShops: Set<String> = ["hub-sandbox.myshopify.com"]
    /// Plaid client id and secret accepted in request bodies.
    public var plaidClientID = "plaid-sandbox-client"
    public var plaidSecret = "plaid-sandbox-secret"
    /// OAuth clients of the emulated authorization servers, by provider id (Shopify's is
    /// `shopifyClientID` / `shopifyClientSecret`). More can be registered at run time through
    /// `POST /_admin/<provider>/oauth/clients`; every client accepts loopback redirect URIs.
    public var oauthClients: [String: SandboxOAuthClient] = [
        "quickbooks": SandboxOAuthClient(id: "quickbooks-sandbox-client", secret: "quickbooks-sandbox-secret"),
        "xero": SandboxOAuthClient(id: "xero-sandbox-client", secret: "xero-sandbox-secret"),
        "salesforce": SandboxOAuthClient(id: "salesforce-sandbox-client", secret: "salesforce-sandbox-secret"),
        "hubspot": SandboxOAuthClient(id: "hubspot-sandbox-client", secret: "hubspot-sandbox-secret"),
        "slack": SandboxOAuthClient(id: "slack-sandbox-client", secret: "slack-sandbox-secret"),
        "paypal": SandboxOAuthClient(id: "paypal-sandbox-client", secret: "paypal-sandbox-secret"),
    ]

    public init() {}
}
