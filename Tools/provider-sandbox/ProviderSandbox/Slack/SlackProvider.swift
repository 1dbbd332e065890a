import Hummingbird

/// The emulated Slack: OAuth v2 and the token methods (`SlackOAuthRoutes`), and the Web API
/// methods notifications use (`chat.postMessage`, `conversations.list`) under `/slack/api/…`,
/// on a seeded workspace per team with Slack's per-channel rate limit and `ok: false` errors, and
/// signed Events API requests (`SlackEventSender`).
public struct SlackProvider: SandboxProvider {
    /// The app's signing secret (Slack shows it on the app's Basic Information page); the hub's
    /// `HUB_PROVIDER_SLACK_WEBHOOK_SECRET`.
    public static let signingSecret = "slack-sandbox-signing-secret"

    public let id = "slack"
    public let oauth: SlackOAuthRoutes
    let workspaces = SlackWorkspaces()
    let events: SlackEventSender

    public init(oauth: SlackOAuthRoutes, webhooks: WebhookDispatcher) {
        self.oauth = oauth
        self.events = SlackEventSender(secret: Self.signingSecret, dispatcher: webhooks)
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addRoutes(to: group)
        SlackWebAPIRoutes(provider: self).add(to: group.group("api"))
    }

    public func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addAdminRoutes(to: group)
        SlackAdminRoutes(provider: self).add(to: group)
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        oauth.faultResponse(fault)
    }
}
