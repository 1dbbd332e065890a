/// Slack: notifications posted to a workspace's channels, and the channels to choose from.
///
/// OAuth v2 installs a bot (`xoxb-…`) token; bot tokens do not expire unless token rotation is on
/// for the app, which the hub does not enable. Slack accepts PKCE only from apps marked as public
/// clients, a one-way switch that also limits refresh tokens to 30 days, so the hub (a confidential
/// server client) does not use it. Revocation is `auth.revoke` called with the token itself.
/// Errors arrive as HTTP 200 with `"ok": false`. Events API deliveries are signed
/// (`X-Slack-Signature`); webhook events are the inner `event.type` of an `event_callback`.
public struct SlackConnector: Connector {
    /// The credential, base URL, transport and client registration of one connection.
    let context: ConnectorContext

    public init(context: ConnectorContext) {
        self.context = context
    }

    /// The catalog entry for Slack.
    public static let definition = ProviderDefinition(
        id: "slack",
        displayName: "Slack",
        category: .communication,
        description: "Post the hub's notifications (failed syncs, connections needing reauthorization, disabled "
            + "webhook endpoints, and business events such as payments received) to a Slack channel chosen "
            + "from the workspace's channels.",
        docsURL: "https://docs.slack.dev/reference/methods",
        auth: AuthDefinition(
            kind: .oauth2AuthorizationCode,
            oauth: OAuthDefinition(
                authorizeURL: "https://slack.com/oauth/v2/authorize",
                tokenURL: "https://slack.com/api/oauth.v2.access",
                revokeURL: "https://slack.com/api/auth.revoke",
                scopes: ["channels:read", "chat:write", "chat:write.public"],
                supportsPKCE: false,
                rotatesRefreshToken: false,
                accessTokenLifetime: nil
            )
        ),
        capabilities: [.oauth, .webhooks, .sync, .push, .realtime],
        entities: [channels, messages],
        // The Events API events the hub acts on (`url_verification` is answered, not an event).
        webhookEvents: ["app_uninstalled", "tokens_revoked"]
    )

    static let channels = EntityDefinition(
        name: "channels",
        providerObject: "conversations",
        fields: [
            EntityField("id", .id, readOnly: true, description: "C…"),
            EntityField("name", .string, readOnly: true),
            EntityField("is_private", .boolean, readOnly: true),
            EntityField("is_archived", .boolean, readOnly: true),
            EntityField("is_member", .boolean, readOnly: true),
            EntityField("topic.value", .string, readOnly: true),
            EntityField("purpose.value", .string, readOnly: true),
            EntityField("num_members", .integer, readOnly: true),
            EntityField("creator", .id, readOnly: true),
            EntityField("created", .datetime, readOnly: true),
        ],
        operations: [.read],
        incremental: false
    )

    static let messages = EntityDefinition(
        name: "messages",
        providerObject: "chat.postMessage",
        fields: [
            EntityField("ts", .id, readOnly: true, description: "The message's timestamp, its id within the channel."),
            EntityField("channel", .id, required: true),
            EntityField("text", .string, required: true, description: "Also the notification fallback when blocks are sent."),
            EntityField("blocks", .array),
            EntityField("thread_ts", .id, description: "Reply in this thread."),
        ],
        // The hub posts notifications; it does not read or edit conversation history.
        operations: [.create],
        incremental: false
    )
}
