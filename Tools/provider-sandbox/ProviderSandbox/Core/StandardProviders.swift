/// The providers the sandbox emulates.
public enum StandardProviders {
    public static func make(_ configuration: SandboxConfiguration, webhooks: WebhookDispatcher) -> [any SandboxProvider] {
        let oauth = OAuthServers(configuration: configuration)
        // Providers with a data API mount their OAuth routes themselves.
        let withDataAPI: Set = ["quickbooks", "xero", "salesforce", "slack", "hubspot", "paypal"]
        return [
            ShopifyProvider(configuration: configuration, webhooks: webhooks),
            PlaidProvider(configuration: configuration, webhooks: webhooks),
            StripeSandbox(configuration: configuration, webhooks: webhooks),
            QuickBooksSandbox(configuration: configuration, webhooks: webhooks, oauth: oauth.quickbooks),
            XeroProvider(configuration: configuration, webhooks: webhooks, oauth: oauth.xero),
            SalesforceProvider(configuration: configuration, oauth: oauth.salesforce),
            SlackProvider(oauth: oauth.slack, webhooks: webhooks),
            HubSpotProvider(configuration: configuration, webhooks: webhooks, oauth: oauth.hubspot),
            PayPalProvider(configuration: configuration, webhooks: webhooks, oauth: oauth.paypal),
        ] + oauth.standaloneProviders.filter { !withDataAPI.contains($0.id) }
    }
}
