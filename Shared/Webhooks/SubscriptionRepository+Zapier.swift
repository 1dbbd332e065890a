import Foundation
import HubCore
import Logging
import PostgresNIO

/// Zapier's REST hooks: `webhook_subscriptions` rows owned by the API key that subscribed them
/// (`zapier_key_id`), one event type each, delivered and signed like any subscription. Zapier
/// removes them (unsubscribe, or a `410 Gone` from the hook URL); revoking the key removes its
/// hooks. The webhook subscription API does not list them.
extension SubscriptionRepository {
    /// A hook for `eventType` posting to `url`; the answer holds its signing secret (Zapier may keep
    /// it with the subscription to verify deliveries).
    public func subscribeZapier(organization: UUID, key: UUID, url: String, eventType: String) async throws -> RevealedSubscription {
        let id = UUID.timeOrdered()
        let secret = SigningSecret.generate()
        let sealed = try vault.seal(secret.key, for: Self.secretBinding(organization: organization, subscription: id))
        let rows = try await client.query(
            """
            INSERT INTO webhook_subscriptions (id, org_id, url, event_types, description, enabled, secret_key_id, secret_ciphertext, zapier_key_id)
            VALUES (\(id), \(organization), \(url), \([eventType]), 'Zapier REST hook', true, \(sealed.keyID), \(Data(sealed.ciphertext)), \(key))
            RETURNING \(unescaped: Self.columns)
            """,
            logger: logger
        )
        guard let subscription = try await Self.decode(rows).first else { throw PostgresDecodingError.Code.missingData }
        return RevealedSubscription(subscription: subscription, secret: secret.text)
    }

    /// Removes a Zapier hook of the organization (any of its keys may: Zapier calls with the key
    /// of the connected account). False when there is none.
    public func unsubscribeZapier(organization: UUID, id: UUID) async throws -> Bool {
        try await removeZapierHooks(organization: organization, matching: id, key: nil) > 0
    }

    /// Removes every hook a revoked key made; how many.
    @discardableResult
    public func removeZapierHooks(organization: UUID, key: UUID) async throws -> Int {
        try await removeZapierHooks(organization: organization, matching: nil, key: key)
    }

    /// Deletes the hooks (soft, as a subscription is deleted) and cancels what they had pending.
    func removeZapierHooks(organization: UUID, matching id: UUID?, key: UUID?) async throws -> Int {
        try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                """
                UPDATE webhook_subscriptions SET deleted_at = now(), enabled = false, updated_at = now()
                WHERE org_id = \(organization) AND zapier_key_id IS NOT NULL AND deleted_at IS NULL
                    AND (\(id)::uuid IS NULL OR id = \(id)) AND (\(key)::uuid IS NULL OR zapier_key_id = \(key))
                RETURNING id
                """,
                logger: logger
            )
            var removed: [UUID] = []
            for try await id in rows.decode(UUID.self) { removed.append(id) }
            try await DeliveryQueue.cancelPending(subscriptions: removed, reason: "the Zapier hook was removed", on: db, logger: logger)
            return removed.count
        }
    }
}
