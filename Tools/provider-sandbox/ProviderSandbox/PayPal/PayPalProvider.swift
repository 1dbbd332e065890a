import Hummingbird

/// PayPal in the sandbox: its client-credentials token endpoint and its webhooks (signed
/// events, the signing certificate). Replaces the OAuth-only wrapper for `paypal`.
public struct PayPalProvider: SandboxProvider {
    public let id = "paypal"
    let oauth: PayPalOAuthRoutes
    let webhooks: PayPalWebhookRoutes

    public init(webhooks dispatcher: WebhookDispatcher, oauth: PayPalOAuthRoutes) {
        self.oauth = oauth
        // A key the process cannot make is a broken installation: fail at start, loudly.
        let signer: PayPalWebhookSigner
        do { signer = try PayPalWebhookSigner() } catch { fatalError("cannot make the PayPal webhook signing key: \(error)") }
        webhooks = PayPalWebhookRoutes(sender: PayPalWebhookSender(signer: signer, dispatcher: dispatcher))
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addRoutes(to: group)
        webhooks.addRoutes(to: group)
    }

    public func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addAdminRoutes(to: group)
        webhooks.addAdminRoutes(to: group)
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        oauth.faultResponse(fault)
    }
}
