import Foundation
import HubCore
import Logging
import PostgresNIO

/// Subscriptions in PostgreSQL, always filtered by organization. Signing secrets are sealed by the
/// vault, bound to their row and column, before they reach a query.
public struct SubscriptionRepository: Sendable {
    let client: PostgresClient
    let vault: CredentialVault
    let logger: Logger

    public init(client: PostgresClient, vault: CredentialVault, logger: Logger) {
        self.client = client
        self.vault = vault
        self.logger = logger
    }

    static let columns = """
        id, org_id, url, event_types, description, enabled, disabled_reason, disabled_at,
        CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END, created_at, updated_at
        """

    /// The vault bindings of the current and the previous secret of a subscription.
    public static func secretBinding(organization: UUID, subscription: UUID, previous: Bool = false) -> VaultBinding {
        VaultBinding(
            purpose: previous ? "webhook_subscription.previous_secret" : "webhook_subscription.secret",
            organizationID: organization,
            rowID: subscription.uuidString.lowercased()
        )
    }

    public struct Draft: Sendable {
        public var url: String
        public var eventTypes: [String]
        public var description: String?
        public var enabled: Bool

        public init(url: String, eventTypes: [String], description: String?, enabled: Bool) {
            self.url = url
            self.eventTypes = eventTypes
            self.description = description
            self.enabled = enabled
        }
    }

    /// Creates a subscription in `actor`'s organization, audited as `webhook_subscription.created`.
    public func create(by actor: AuditActor, _ draft: Draft) async throws -> RevealedSubscription {
        let id = UUID()
        let secret = SigningSecret.generate()
        let sealed = try vault.seal(secret.key, for: Self.secretBinding(organization: actor.organizationID, subscription: id))
        return try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                """
                INSERT INTO webhook_subscriptions (id, org_id, url, event_types, description, enabled, secret_key_id, secret_ciphertext)
                VALUES (\(id), \(actor.organizationID), \(draft.url), \(draft.eventTypes), \(draft.description), \(draft.enabled),
                    \(sealed.keyID), \(Data(sealed.ciphertext)))
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let subscription = try await Self.decode(rows).first else { throw PostgresDecodingError.Code.missingData }
            let details: JSONValue = [
                "url": .string(draft.url), "event_types": .array(draft.eventTypes.map { .string($0) }), "enabled": .bool(draft.enabled),
            ]
            try await audit(actor, "webhook_subscription.created", id: id, details: details, on: db)
            return RevealedSubscription(subscription: subscription, secret: secret.text)
        }
    }

    /// The audit entry of a change to subscription `id`, in the change's transaction.
    func audit(
        _ actor: AuditActor,
        _ action: String,
        resourceType: String = "webhook_subscription",
        id: UUID,
        details: JSONValue = [:],
        on db: PostgresConnection
    ) async throws {
        try await AuditLogRepository.record(
            on: db,
            by: actor,
            action: action,
            resourceType: resourceType,
            resourceID: id,
            details: details,
            logger: logger
        )
    }

    /// The subscriptions the subscription routes read and change: not a Slack connection's
    /// notifications nor a Zapier key's REST hooks, which their own routes own.
    static let ownedByItsRoutes = "slack_connection_id IS NULL AND zapier_key_id IS NULL"

    public func get(organization: UUID, id: UUID) async throws -> WebhookSubscription? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM webhook_subscriptions
            WHERE org_id = \(organization) AND id = \(id) AND deleted_at IS NULL AND \(unescaped: Self.ownedByItsRoutes)
            """,
            logger: logger
        )
        return try await Self.decode(rows).first
    }

    /// The subscription, or `WebhookError.subscriptionNotFound` (also for another organization's:
    /// it does not exist for the caller).
    public func require(organization: UUID, id: UUID) async throws -> WebhookSubscription {
        guard let subscription = try await get(organization: organization, id: id) else { throw WebhookError.subscriptionNotFound }
        return subscription
    }

    public func list(organization: UUID, page: PageRequest) async throws -> [WebhookSubscription] {
        let cursor = try TimeOrderedCursor.parse(page)
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM webhook_subscriptions
            WHERE org_id = \(organization) AND deleted_at IS NULL AND \(unescaped: Self.ownedByItsRoutes)
                AND (\(cursor?.time)::timestamptz IS NULL OR (created_at, id) < (\(cursor?.time), \(cursor?.id)))
            ORDER BY created_at DESC, id DESC LIMIT \(page.limit + 1)
            """,
            logger: logger
        )
        return try await Self.decode(rows)
    }

    public struct Change: Sendable {
        public var url: String?
        public var eventTypes: [String]?
        /// `.some(nil)` clears the description.
        public var description: String??
        public var enabled: Bool?

        public init(url: String? = nil, eventTypes: [String]? = nil, description: String?? = nil, enabled: Bool? = nil) {
            self.url = url
            self.eventTypes = eventTypes
            self.description = description
            self.enabled = enabled
        }
        /// What the audit log says of it: the fields changed, with the new URL, filters and state.
        var auditDetails: JSONValue {
            var changed: [JSONValue] = []
            var details: [String: JSONValue] = [:]
            if let url {
                changed.append("url")
                details["url"] = .string(url)
            }
            if let eventTypes {
                changed.append("event_types")
                details["event_types"] = .array(eventTypes.map { .string($0) })
            }
            if description != nil { changed.append("description") }
            if let enabled {
                changed.append("enabled")
                details["enabled"] = .bool(enabled)
            }
            details["changed"] = .array(changed)
            return .object(details)
        }
    }

    /// Applies a change. Re-enabling clears the disable reason and the failure streak (so the
    /// endpoint gets a fresh disable period); disabling by hand fails what was pending, which
    /// `recover` can send later.
    /// Audited as `webhook_subscription.updated`, naming the fields changed (and the new URL: where
    /// the organization's events go).
    public func update(by actor: AuditActor, id: UUID, _ change: Change) async throws -> WebhookSubscription? {
        let organization = actor.organizationID
        let setDescription = change.description != nil
        let description = change.description ?? nil
        return try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                """
                UPDATE webhook_subscriptions SET
                    url = coalesce(\(change.url)::text, url),
                    event_types = coalesce(\(change.eventTypes)::text[], event_types),
                    description = CASE WHEN \(setDescription)::boolean THEN \(description)::text ELSE description END,
                    enabled = coalesce(\(change.enabled)::boolean, enabled),
                    disabled_reason = CASE WHEN \(change.enabled)::boolean IS NULL THEN disabled_reason ELSE NULL END,
                    disabled_at = CASE WHEN \(change.enabled)::boolean = false AND enabled THEN now()
                        WHEN \(change.enabled)::boolean = true THEN NULL ELSE disabled_at END,
                    failing_since = CASE WHEN \(change.enabled)::boolean = true AND NOT enabled THEN NULL ELSE failing_since END,
                    updated_at = now()
                WHERE org_id = \(organization) AND id = \(id) AND deleted_at IS NULL AND \(unescaped: Self.ownedByItsRoutes)
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let subscription = try await Self.decode(rows).first else { return nil }
            if change.enabled == false {
                try await DeliveryQueue.failPending(subscription: id, reason: WebhookSubscription.disabledError, on: db, logger: logger)
            }
            try await audit(actor, "webhook_subscription.updated", id: id, details: change.auditDetails, on: db)
            return subscription
        }
    }

    /// Deletes: gone from every read, and what was still pending is cancelled. Audited as
    /// `webhook_subscription.deleted`.
    public func delete(by actor: AuditActor, id: UUID) async throws -> Bool {
        let organization = actor.organizationID
        return try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                """
                UPDATE webhook_subscriptions SET deleted_at = now(), enabled = false, updated_at = now()
                WHERE org_id = \(organization) AND id = \(id) AND deleted_at IS NULL AND \(unescaped: Self.ownedByItsRoutes) RETURNING id
                """,
                logger: logger
            )
            var deleted = false
            for try await _ in rows { deleted = true }
            guard deleted else { return false }
            try await DeliveryQueue.cancelPending(subscriptions: [id], reason: "the subscription was deleted", on: db, logger: logger)
            try await audit(actor, "webhook_subscription.deleted", id: id, on: db)
            return true
        }
    }

    /// Makes a new secret; the current one becomes the previous one and keeps signing for `overlap`
    /// seconds (one rotated earlier stops at once). Audited as `webhook_subscription.secret_rotated`.
    public func rotateSecret(by actor: AuditActor, id: UUID, overlapSeconds: Int) async throws -> RevealedSubscription? {
        let organization = actor.organizationID
        return try await client.withTransaction(logger: logger) { db in
            let current = try await db.query(
                """
                SELECT secret_key_id, secret_ciphertext FROM webhook_subscriptions
                WHERE org_id = \(organization) AND id = \(id) AND deleted_at IS NULL AND \(unescaped: Self.ownedByItsRoutes) FOR UPDATE
                """,
                logger: logger
            )
            var sealedCurrent: SealedSecret?
            for try await (keyID, bytes) in current.decode((String, Data).self) {
                sealedCurrent = SealedSecret(keyID: keyID, ciphertext: Array(bytes))
            }
            guard let sealedCurrent else { return nil }
            let binding = Self.secretBinding(organization: organization, subscription: id)
            var previousKey = try vault.open(sealedCurrent, for: binding)
            defer { previousKey.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
            let previous = try vault.seal(previousKey, for: Self.secretBinding(organization: organization, subscription: id, previous: true))
            let secret = SigningSecret.generate()
            let sealed = try vault.seal(secret.key, for: binding)
            let rows = try await db.query(
                """
                UPDATE webhook_subscriptions SET
                    secret_key_id = \(sealed.keyID), secret_ciphertext = \(Data(sealed.ciphertext)),
                    previous_secret_key_id = \(previous.keyID), previous_secret_ciphertext = \(Data(previous.ciphertext)),
                    previous_secret_expires_at = now() + make_interval(secs => \(Double(overlapSeconds))), updated_at = now()
                WHERE id = \(id) RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let subscription = try await Self.decode(rows).first else { return nil }
            try await audit(
                actor,
                "webhook_subscription.secret_rotated",
                id: id,
                details: ["previous_secret_signs_for_seconds": .number(Double(overlapSeconds))],
                on: db
            )
            return RevealedSubscription(subscription: subscription, secret: secret.text)
        }
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [WebhookSubscription] {
        var result: [WebhookSubscription] = []
        for try await (id, org, url, types, description, enabled, reason, disabledAt, previousExpiry, created, updated) in rows.decode(
            (UUID, UUID, String, [String], String?, Bool, String?, Date?, Date?, Date, Date).self
        ) {
            result.append(
                WebhookSubscription(
                    id: id,
                    organizationID: org,
                    url: url,
                    eventTypes: types,
                    description: description,
                    enabled: enabled,
                    disabledReason: reason,
                    disabledAt: disabledAt,
                    previousSecretExpiresAt: previousExpiry,
                    createdAt: created,
                    updatedAt: updated
                )
            )
        }
        return result
    }

    public static func cursorKey(_ subscription: WebhookSubscription) -> String {
        TimeOrderedCursor.key(createdAt: subscription.createdAt, id: subscription.id)
    }
}
