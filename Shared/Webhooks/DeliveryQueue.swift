import Foundation
import HubCore
import Logging
import PostgresNIO

/// The durable queue of deliveries in PostgreSQL, as workers see it. A claim takes due rows with
/// `FOR UPDATE SKIP LOCKED` (replicas never take the same row) and moves their `next_attempt_at`
/// past a lease, so a crashed worker's claims are due again once the lease runs out; the claim
/// token fences a late result out once another worker has claimed the row again.
public struct DeliveryQueue: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Claims up to `limit` due deliveries, oldest first, at most `perSubscription` in flight per
    /// subscription counting `inFlight` (this worker's current attempts), so one slow endpoint's
    /// backlog cannot take every slot.
    ///
    /// Two statements on one connection, so neither plan hangs on row estimates: the oldest due
    /// rows are read (no lock), the limits applied here, and the chosen rows locked and leased by
    /// key, in the order read, until `limit`. The lock is a lateral lookup (locking, it cannot be
    /// flattened into a join) naming no `status` (the partial index would serve it): each shape
    /// tried before let stale statistics pick a plan reading every due row or the whole table.
    ///
    /// A row is taken only if its `next_attempt_at` is still the one read (nobody claimed, released
    /// or rescheduled it meanwhile) and it is still pending; rows another replica holds or took
    /// meanwhile give way to the next allowed candidates.
    public func claim(limit: Int, perSubscription: Int, inFlight: [UUID: Int], leaseMilliseconds: Int) async throws -> [ClaimedDelivery] {
        let saturated = inFlight.filter { $0.value >= perSubscription }.map(\.key)
        let token = UUID.random()
        return try await client.withConnection { db in
            // next_attempt_at in whole microseconds, as stored: compared exactly below.
            let candidates = try await db.query(
                """
                SELECT id, subscription_id, (extract(epoch FROM next_attempt_at) * 1000000)::int8 FROM webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= now() AND NOT (subscription_id = ANY(\(saturated)::uuid[]))
                ORDER BY next_attempt_at LIMIT \(limit * 4)
                """,
                logger: logger
            )
            var held = inFlight
            var ids: [UUID] = []
            var dueAt: [Int64] = []
            for try await (id, subscription, due) in candidates.decode((UUID, UUID, Int64).self)
            where held[subscription, default: 0] < perSubscription {
                held[subscription, default: 0] += 1
                ids.append(id)
                dueAt.append(due)
            }
            guard !ids.isEmpty else { return [] }
            let rows = try await db.query(
                """
                WITH picked AS (
                    SELECT x.id, x.status FROM unnest(\(ids)::uuid[], \(dueAt)::int8[]) AS c (id, due)
                    CROSS JOIN LATERAL (
                        SELECT d.id, d.status FROM webhook_deliveries d
                        WHERE d.id = c.id AND (extract(epoch FROM d.next_attempt_at) * 1000000)::int8 = c.due
                        FOR UPDATE SKIP LOCKED
                    ) x
                    LIMIT \(limit)
                )
                UPDATE webhook_deliveries d
                SET next_attempt_at = now() + make_interval(secs => \(Double(leaseMilliseconds) / 1000)),
                    claim_token = \(token), attempt_count = d.attempt_count + 1
                FROM picked p, webhook_subscriptions s, webhook_events e
                WHERE d.id = p.id AND p.status = 'pending' AND s.id = d.subscription_id AND e.id = d.event_id
                RETURNING d.id, d.org_id, d.subscription_id, d.attempt_count, d.attempt_count - d.budget_start, e.payload, s.url,
                    s.secret_key_id, s.secret_ciphertext,
                    CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret_key_id END,
                    CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret_ciphertext END,
                    s.enabled AND s.deleted_at IS NULL, s.slack_connection_id, s.slack_channel
                """,
                logger: logger
            )
            var claimed: [ClaimedDelivery] = []
            for try await (
                id, org, subscription, attempt, budgeted, payload, url, keyID, ciphertext, previousKeyID, previousCiphertext, active, slackConnection,
                slackChannel
            )
                in rows.decode((UUID, UUID, UUID, Int, Int, String, String, String, Data, String?, Data?, Bool, UUID?, String?).self)
            {
                var previous: SealedSecret?
                if let previousKeyID, let previousCiphertext { previous = SealedSecret(keyID: previousKeyID, ciphertext: Array(previousCiphertext)) }
                claimed.append(
                    ClaimedDelivery(
                        id: id,
                        organizationID: org,
                        subscriptionID: subscription,
                        attempt: attempt,
                        attemptInBudget: budgeted,
                        claimToken: token,
                        payload: payload,
                        url: url,
                        secret: SealedSecret(keyID: keyID, ciphertext: Array(ciphertext)),
                        previousSecret: previous,
                        subscriptionActive: active,
                        slack: SlackTarget.from(connection: slackConnection, channel: slackChannel)
                    )
                )
            }
            // RETURNING keeps no order; each subscription's deliveries go out in the order read
            // (oldest first; deliveries accepted in one transaction are due at the same moment).
            let position = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($0.element, $0.offset) })
            return claimed.sorted { position[$0.id, default: 0] < position[$1.id, default: 0] }
        }
    }

    /// Gives claims back unattempted: due now, their attempt not counted, for any worker to claim
    /// (only where the claim is still the one given back).
    public func release(_ deliveries: [ClaimedDelivery]) async throws {
        guard !deliveries.isEmpty else { return }
        try await client.query(
            """
            UPDATE webhook_deliveries d SET next_attempt_at = now(), claim_token = NULL, attempt_count = d.attempt_count - 1
            FROM unnest(\(deliveries.map(\.id))::uuid[], \(deliveries.map(\.claimToken))::uuid[]) AS r (id, token)
            WHERE d.id = r.id AND d.claim_token = r.token AND d.status = 'pending'
            """,
            logger: logger
        )
    }

    /// One attempt's result, ready to be written.
    public struct Result: Sendable {
        public var delivery: ClaimedDelivery
        public var outcome: AttemptOutcome
        public var decision: DeliveryRetryPolicy.Decision
    }

    /// Writes a batch of results in one transaction: each delivery's new state (only where the
    /// claim is still ours), every attempt, and the subscriptions' failure streaks. Returns the
    /// subscriptions to disable: those that answered 410, and those failing for longer than
    /// `disableAfterSeconds` (`gone` marks the former).
    public func record(_ results: [Result], disableAfterSeconds: Int) async throws -> [(subscription: UUID, reason: String, gone: Bool)] {
        guard !results.isEmpty else { return [] }
        var succeeded = Set<UUID>()
        var failed = Set<UUID>()
        var gone = Set<UUID>()
        for result in results {
            switch result.decision {
            case .delivered: succeeded.insert(result.delivery.subscriptionID)
            case .retry, .failed: failed.insert(result.delivery.subscriptionID)
            case .gone: gone.insert(result.delivery.subscriptionID)
            }
        }
        let streaking = Array(failed.subtracting(succeeded).subtracting(gone))
        let recovered = Array(succeeded)
        return try await client.withTransaction(logger: logger) { db in
            try await db.query(DeliveryStateUpdate(results: results).query, logger: logger)
            try await db.runPrepared(AttemptInsert(results: results), logger: logger)
            if !recovered.isEmpty {
                try await db.query(
                    "UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = ANY(\(recovered)::uuid[]) AND failing_since IS NOT NULL",
                    logger: logger
                )
            }
            var disable = gone.map { (subscription: $0, reason: "the endpoint answered 410 Gone", gone: true) }
            if !streaking.isEmpty {
                let rows = try await db.query(
                    """
                    UPDATE webhook_subscriptions SET failing_since = coalesce(failing_since, now())
                    WHERE id = ANY(\(streaking)::uuid[]) RETURNING id, enabled AND failing_since < now() - make_interval(secs => \(Double(disableAfterSeconds)))
                    """,
                    logger: logger
                )
                for try await (id, due) in rows.decode((UUID, Bool).self) where due {
                    disable.append((id, "deliveries have failed for more than \(Self.describe(seconds: disableAfterSeconds))", false))
                }
            }
            return disable
        }
    }

    /// Disables a subscription on the hub's own decision: fails what was pending (recoverable
    /// later) and tells the organization with a `webhook_endpoint.disabled` event, in one
    /// transaction, sent to every matching subscription but this one. Nothing happens when it is
    /// already disabled.
    ///
    /// A Zapier REST hook whose URL answered 410 (`gone`) is removed instead, as Zapier specifies
    /// for an unsubscribed hook: nothing is sent to it again and no event announces it (an
    /// ordinary subscription answering 410 is only disabled, so its owner can re-enable it).
    /// Either is in the audit log by `webhook-service`, with the reason.
    public func disable(subscription: UUID, reason: String, gone: Bool = false) async throws -> Bool {
        try await client.withTransaction(logger: logger) { db in
            if gone {
                let removed = try await db.query(
                    """
                    UPDATE webhook_subscriptions SET deleted_at = now(), enabled = false, disabled_reason = \(reason), updated_at = now()
                    WHERE id = \(subscription) AND zapier_key_id IS NOT NULL AND deleted_at IS NULL RETURNING org_id
                    """,
                    logger: logger
                )
                var organization: UUID?
                for try await id in removed.decode(UUID.self) { organization = id }
                if let organization {
                    try await Self.cancelPending(subscriptions: [subscription], reason: "the Zapier hook answered 410 Gone", on: db, logger: logger)
                    try await auditDecision("zapier_hook.removed", resourceType: "zapier_hook", subscription, of: organization, reason, on: db)
                    logger.info("zapier hook removed after 410 Gone", metadata: ["subscription_id": "\(subscription)"])
                    return true
                }
            }
            let rows = try await db.query(
                """
                UPDATE webhook_subscriptions SET enabled = false, disabled_reason = \(reason), disabled_at = now(), updated_at = now()
                WHERE id = \(subscription) AND enabled AND deleted_at IS NULL
                RETURNING org_id, url, disabled_at
                """,
                logger: logger
            )
            var disabled: (UUID, String, Date)?
            for try await row in rows.decode((UUID, String, Date).self) { disabled = row }
            guard let (organization, url, at) = disabled else { return false }
            try await Self.failPending(subscription: subscription, reason: "\(WebhookSubscription.disabledError): \(reason)", on: db, logger: logger)
            try await auditDecision(
                "webhook_subscription.disabled",
                resourceType: "webhook_subscription",
                subscription,
                of: organization,
                reason,
                on: db
            )
            let formatter = ISO8601DateFormatter()
            let notice = try await EventStore.accept(
                EventStore.NewEvent(
                    organizationID: organization,
                    type: WebhookEventTypes.endpointDisabled,
                    data: [
                        "subscription_id": .string(subscription.uuidString.lowercased()), "url": .string(url), "reason": .string(reason),
                        "disabled_at": .string(formatter.string(from: at)),
                    ],
                    source: .hub
                ),
                on: db,
                logger: logger
            )
            // The subscription it is about would only get it as a failed delivery, which recovery
            // would then send to it as news: it is for the organization's other subscriptions.
            try await db.query(
                "DELETE FROM webhook_deliveries WHERE event_id = \(notice.id) AND subscription_id = \(subscription)",
                logger: logger
            )
            logger.warning("webhook subscription disabled", metadata: ["subscription_id": "\(subscription)", "reason": "\(reason)"])
            return true
        }
    }

    /// The audit entry of a subscription the hub itself disabled or removed.
    func auditDecision(
        _ action: String,
        resourceType: String,
        _ subscription: UUID,
        of organization: UUID,
        _ reason: String,
        on db: PostgresConnection
    )
        async throws
    {
        try await AuditLogRepository.record(
            on: db,
            by: AuditActor(organizationID: organization, subject: "webhook-service", requestID: nil),
            action: action,
            resourceType: resourceType,
            resourceID: subscription,
            details: ["reason": .string(reason)],
            logger: logger
        )
    }

    /// Cancels the pending deliveries of removed subscriptions (nothing will send them).
    static func cancelPending(subscriptions: [UUID], reason: String, on db: PostgresConnection, logger: Logger) async throws {
        guard !subscriptions.isEmpty else { return }
        try await db.query(
            """
            UPDATE webhook_deliveries SET status = 'cancelled', claim_token = NULL, last_error = \(reason)
            WHERE subscription_id = ANY(\(subscriptions)::uuid[]) AND status = 'pending'
            """,
            logger: logger
        )
    }

    /// Fails a subscription's pending deliveries (it was disabled): `recover` can send them later.
    static func failPending(subscription: UUID, reason: String, on db: PostgresConnection, logger: Logger) async throws {
        try await db.query(
            """
            UPDATE webhook_deliveries SET status = 'failed', failed_at = now(), claim_token = NULL, last_error = \(reason)
            WHERE subscription_id = \(subscription) AND status = 'pending'
            """,
            logger: logger
        )
    }

    static func describe(seconds: Int) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400) day(s)" }
        if seconds % 3_600 == 0 { return "\(seconds / 3_600) hour(s)" }
        return "\(seconds) second(s)"
    }
}
