/// The hub's settings for using this sandbox as every provider: its address, and the hub's
/// client registration at each emulated provider and the app-level webhook keys (the sandbox's
/// well-known development values).
/// `provider-sandbox hub-env` prints them, so `scripts/up` never copies them by hand.
extension SandboxSecrets {
    public func hubEnvironment(sandboxURL: String) -> [(name: String, value: String)] {
        var clients = oauthClients.mapValues { (id: $0.id, secret: $0.secret) }
        clients["shopify"] = (shopifyClientID, shopifyClientSecret)
        clients["plaid"] = (plaidClientID, plaidSecret)
        var variables = [(name: "HUB_PROVIDER_SANDBOX_URL", value: sandboxURL)]
        for (provider, client) in clients.sorted(by: { $0.key < $1.key }) {
            let prefix = "HUB_PROVIDER_" + provider.uppercased()
            variables.append((prefix + "_CLIENT_ID", client.id))
            variables.append((prefix + "_CLIENT_SECRET", client.secret))
        }
        // App-level webhook keys (per-connection ones, like Stripe's, are entered when connecting).
        variables.append(("HUB_PROVIDER_QUICKBOOKS_WEBHOOK_SECRET", QuickBooksSandbox.verifierToken))
        variables.append(("HUB_PROVIDER_XERO_WEBHOOK_SECRET", XeroProvider.webhookKey))
        // Shopify and HubSpot sign with the app's client secret: oauth-service checks those.
        return variables
    }
}
