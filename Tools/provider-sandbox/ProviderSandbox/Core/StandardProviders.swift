/// The providers the sandbox emulates.
public enum StandardProviders {
    public static func make(_ configuration: SandboxConfiguration, webhooks: WebhookDispatcher) -> [any SandboxProvider] {
        let oauth = OAuthServers(configuration: configuration)
        return [
            ShopifyProvider(configuration: configuration, webhooks: webhooks),
            PlaidProvider(configuration: configuration, webhooks: webhooks),
            StripeSandbox(configuration: configuration, webhooks: webhooks),
            QuickBooksSandbox(configuration: configuration, webhooks: webhooks, oauth: oauth.quickbooks),
        ] + oauth.standaloneProviders.filter { $0.id != "quickbooks" }
    }
}
