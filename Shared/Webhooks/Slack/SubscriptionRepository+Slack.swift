import Foundation
import HubCore
import Logging
import PostgresNIO

/// Each Slack connection's notification settings: a `webhook_subscriptions` row whose Slack
/// columns name the connection and channel (one live row per connection). The row's signing secret
/// is required by the table and never used: Slack messages are authenticated by the bot token.
/// The webhook subscription API does not list them.
extension SubscriptionRepository {
    static let slackColumns = "id, slack_connection_id, slack_channel, event_types, enabled, disabled_reason, updated_at"

    public func slackNotification(organization: UUID, connection: UUID) async throws -> SlackNotification? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.slackColumns) FROM webhook_subscriptions
            WHERE org_id = \(organization) AND slack_connection_id = \(connection) AND deleted_at IS NULL
            """,
            logger: logger
        )
        return try await Self.decodeSlack(rows).first
    }

    /// Sets the channel and event types (replacing earlier ones) and enables posting; audited on
    /// the connection as `slack_notifications.configured`.
    public func configureSlack(by actor: AuditActor, connection: UUID, channel: String, eventTypes: [String]) async throws -> SlackNotification {
        let organization = actor.organizationID
        let id = UUID.timeOrdered()
        let sealed = try vault.seal(
            SigningSecret.generate().key,
            for: SubscriptionRepository.secretBinding(organization: organization, subscription: id)
        )
        return try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                """
                INSERT INTO webhook_subscriptions (id, org_id, url, event_types, description, enabled, secret_key_id, secret_ciphertext,
                    slack_connection_id, slack_channel)
                VALUES (\(id), \(organization), \("slack://channel/" + channel), \(eventTypes), 'Slack notifications', true, \(sealed.keyID),
                    \(Data(sealed.ciphertext)), \(connection), \(channel))
                ON CONFLICT (org_id, slack_connection_id) WHERE slack_connection_id IS NOT NULL AND deleted_at IS NULL
                DO UPDATE SET slack_channel = excluded.slack_channel, url = excluded.url, event_types = excluded.event_types, enabled = true,
                    disabled_reason = NULL, disabled_at = NULL, failing_since = NULL, updated_at = now()
                RETURNING \(unescaped: Self.slackColumns)
                """,
                logger: logger
            )
            guard let notification = try await Self.decodeSlack(rows).first else { throw PostgresDecodingError.Code.missingData }
            try await AuditLogRepository.record(
                on: db,
                by: actor,
                action: "slack_notifications.configured",
                resourceType: "connection",
                resourceID: connection,
                details: ["channel": .string(channel), "event_types": .array(eventTypes.map { .string($0) })],
                logger: logger
            )
            return notification
        }
    }

    /// Stops the notifications: the row is deleted as a subscription is, its pending messages
    /// cancelled; audited on the connection as `slack_notifications.removed`.
    @discardableResult
    public func removeSlack(by actor: AuditActor, connection: UUID) async throws -> Bool {
        let organization = actor.organizationID
        return try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                """
                UPDATE webhook_subscriptions SET deleted_at = now(), enabled = false, updated_at = now()
                WHERE org_id = \(organization) AND slack_connection_id = \(connection) AND deleted_at IS NULL
                RETURNING id
                """,
                logger: logger
            )
            var removed: [UUID] = []
            for try await id in rows.decode(UUID.self) { removed.append(id) }
            try await db.query(
                """
                UPDATE webhook_deliveries SET status = 'cancelled', claim_token = NULL
                WHERE subscription_id = ANY(\(removed)::uuid[]) AND status = 'pending'
                """,
                logger: logger
            )
            guard !removed.isEmpty else { return false }
            try await AuditLogRepository.record(
                on: db,
                by: actor,
                action: "slack_notifications.removed",
                resourceType: "connection",
                resourceID: connection,
                logger: logger
            )
            return true
        }
    }

    static func decodeSlack(_ rows: PostgresRowSequence) async throws -> [SlackNotification] {
        var result: [SlackNotification] = []
        for try await (id, connection, channel, types, enabled, reason, updated) in rows.decode(
            (UUID, UUID, String, [String], Bool, String?, Date).self
        ) {
            result.append(
                SlackNotification(
                    subscriptionID: id,
                    connectionID: connection,
                    channel: channel,
                    eventTypes: types,
                    enabled: enabled,
                    disabledReason: reason,
                    updatedAt: updated
                )
            )
        }
        return result
    }
}
