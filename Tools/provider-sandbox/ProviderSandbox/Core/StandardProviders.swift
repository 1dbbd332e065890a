/// The providers the sandbox emulates.
public enum StandardProviders {
    public static func make(_ configuration: SandboxConfiguration, webhooks: WebhookDispatcher) -> [any SandboxProvider] {
        []
    }
}
