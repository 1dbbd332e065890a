import Foundation
import HubCore

/// Slack's Events API: signed with the app's signing secret (`HUB_PROVIDER_SLACK_WEBHOOK_SECRET`),
/// routed by the workspace (`team_id`). `url_verification` is answered with its challenge;
/// `app_uninstalled`, and `tokens_revoked` naming bot tokens, mean the hub can no longer post:
/// the connection needs a new install.
extension SlackConnector: AppWebhookVerifying, WebhookChallengeAnswering {
    public static func webhookVerifier(context: ConnectorContext) -> (any WebhookVerifier)? {
        guard let secret = context.webhookSecret, !secret.isEmpty else { return nil }
        return SlackWebhookVerifier(secrets: [secret])
    }

    public static func challengeAnswer(for webhook: VerifiedWebhook) -> JSONValue? {
        guard webhook.eventType == "url_verification", let challenge = webhook.payload["challenge"]?.stringValue else { return nil }
        return ["challenge": .string(challenge)]
    }

    public static func changes(for webhook: VerifiedWebhook) -> [WebhookChange] {
        switch webhook.eventType {
        case "app_uninstalled":
            return [.reauthorize(reason: "the hub's Slack app was uninstalled from the workspace; install it again")]
        case "tokens_revoked":
            // User tokens alone do not matter: the hub posts with the bot token.
            let bots = webhook.payload["event"]?["tokens"]?["bot"]?.arrayValue ?? []
            guard !bots.isEmpty else { return [] }
            return [.reauthorize(reason: "the workspace revoked the hub's Slack bot token; install the app again")]
        default:
            return []
        }
    }
}
