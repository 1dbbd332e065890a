/// The providers the sandbox emulates.
public enum StandardProviders {
    public static func make(_ configuration: SandboxConfiguration, webhooks: WebhookDispatcher) -> [any SandboxProvider] {
        [
            ShopifyProvider(configuration: configuration, webhooks: webhooks),
            PlaidProvider(configuration: configuration, webhooks: webhooks),
            StripeSandbox(configuration: configuration, webhooks: webhooks),
        ] + OAuthServers(configuration: configuration).standaloneProviders
    }
}
