import Foundation
import HubCore
import Logging
import PostgresNIO

/// Zapier's REST hooks: `webhook_subscriptions` rows owned by the API key that subscribed them
/// (`zapier_key_id`), one event type each, delivered and signed like any subscription. Zapier
/// removes them (unsubscribe, or a `410 Gone` from the hook URL); revoking the key removes its
/// hooks. The webhook subscription API does not list them. Each subscribe and removal is in the
/// audit log (`zapier_hook.*`): where an organization's events go is worth a trace.
extension SubscriptionRepository {
    /// A hook for `eventType` posting to `url`, audited as `zapier_hook.subscribed`; the answer
    /// holds its signing secret (Zapier may keep it with the subscription to verify deliveries).
    public func subscribeZapier(by actor: AuditActor, key: UUID, url: String, eventType: String) async throws -> RevealedSubscription {
        let id = UUID.timeOrdered()
        let secret = SigningSecret.generate()
        let sealed = try vault.seal(secret.key, for: Self.secretBinding(organization: actor.organizationID, subscription: id))
        return try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                """
                INSERT INTO webhook_subscriptions (id, org_id, url, event_types, description, enabled, secret_key_id, secret_ciphertext, zapier_key_id)
                VALUES (\(id), \(actor.organizationID), \(url), \([eventType]), 'Zapier REST hook', true, \(sealed.keyID),
                    \(Data(sealed.ciphertext)), \(key))
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let subscription = try await Self.decode(rows).first else { throw PostgresDecodingError.Code.missingData }
            let details: JSONValue = ["target_url": .string(url), "event": .string(eventType), "key_id": .string(key.uuidString.lowercased())]
            try await audit(actor, "zapier_hook.subscribed", resourceType: "zapier_hook", id: id, details: details, on: db)
            return RevealedSubscription(subscription: subscription, secret: secret.text)
        }
    }

    /// Removes a Zapier hook of the organization (any of its keys may: Zapier calls with the key
    /// of the connected account), audited as `zapier_hook.unsubscribed`. False when there is none.
    public func unsubscribeZapier(by actor: AuditActor, id: UUID) async throws -> Bool {
        try await client.withTransaction(logger: logger) { db in
            let removed = try await Self.removeZapierHooks(organization: actor.organizationID, matching: id, key: nil, on: db, logger: logger)
            guard removed.count == 1 else { return false }
            try await audit(actor, "zapier_hook.unsubscribed", resourceType: "zapier_hook", id: id, on: db)
            return true
        }
    }

    /// Removes every hook key `key` made, on `db` (the key's revocation's transaction); how many.
    /// The revocation's own audit entry counts them.
    public func removeZapierHooks(organization: UUID, key: UUID, on db: PostgresConnection) async throws -> Int {
        try await Self.removeZapierHooks(organization: organization, matching: nil, key: key, on: db, logger: logger).count
    }

    /// Deletes the hooks (soft, as a subscription is deleted) and cancels what they had pending.
    static func removeZapierHooks(
        organization: UUID,
        matching id: UUID?,
        key: UUID?,
        on db: PostgresConnection,
        logger: Logger
    ) async throws -> [UUID] {
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
        return removed
    }
}
