import Foundation
import HubCore
import Logging
import PostgresNIO

/// The delivery log of a subscription and the organization's hands on it: resend one delivery,
/// recover everything that failed since a time. Always filtered by organization.
public struct DeliveryRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = """
        id, subscription_id, event_id, event_type, status, attempt_count,
        CASE WHEN status = 'pending' THEN next_attempt_at END, last_status_code, last_error, created_at, delivered_at
        """

    public struct Filter: Sendable {
        public var status: String?
        public var eventType: String?

        public init(status: String? = nil, eventType: String? = nil) {
            self.status = status
            self.eventType = eventType
        }
    }

    /// A newest-first page of a subscription's deliveries, each with its attempts.
    public func list(organization: UUID, subscription: UUID, filter: Filter, page: PageRequest) async throws -> [WebhookDelivery] {
        let cursor = try TimeOrderedCursor.parse(page)
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM webhook_deliveries
            WHERE org_id = \(organization) AND subscription_id = \(subscription)
                AND (\(filter.status)::text IS NULL OR status = \(filter.status))
                AND (\(filter.eventType)::text IS NULL OR event_type = \(filter.eventType))
                AND (\(cursor?.time)::timestamptz IS NULL OR (created_at, id) < (\(cursor?.time), \(cursor?.id)))
            ORDER BY created_at DESC, id DESC LIMIT \(page.limit + 1)
            """,
            logger: logger
        )
        var deliveries = try await Self.decode(rows)
        try await attachAttempts(to: &deliveries, organization: organization)
        return deliveries
    }

    public func get(organization: UUID, subscription: UUID, id: UUID) async throws -> WebhookDelivery? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM webhook_deliveries
            WHERE org_id = \(organization) AND subscription_id = \(subscription) AND id = \(id)
            """,
            logger: logger
        )
        var deliveries = try await Self.decode(rows)
        try await attachAttempts(to: &deliveries, organization: organization)
        return deliveries.first
    }

    /// Sends a delivery again now, whatever its state (the same webhook-id and body), with a fresh
    /// attempt budget. Nil when there is no such delivery.
    public func resend(organization: UUID, subscription: UUID, id: UUID) async throws -> WebhookDelivery? {
        let rows = try await client.query(
            """
            UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), claim_token = NULL,
                budget_start = attempt_count, failed_at = NULL
            WHERE org_id = \(organization) AND subscription_id = \(subscription) AND id = \(id) AND status <> 'pending'
            RETURNING id
            """,
            logger: logger
        )
        for try await _ in rows {}
        return try await get(organization: organization, subscription: subscription, id: id)
    }

    /// Makes every delivery of the subscription that failed and was created at or after `since`
    /// pending again, due now; returns how many.
    public func recover(organization: UUID, subscription: UUID, since: Date) async throws -> Int {
        let rows = try await client.query(
            """
            WITH r AS (
                UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), claim_token = NULL,
                    budget_start = attempt_count, failed_at = NULL
                WHERE org_id = \(organization) AND subscription_id = \(subscription) AND status = 'failed' AND created_at >= \(since)
                RETURNING 1
            ) SELECT count(*)::int FROM r
            """,
            logger: logger
        )
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    func attachAttempts(to deliveries: inout [WebhookDelivery], organization: UUID) async throws {
        guard !deliveries.isEmpty else { return }
        let ids = deliveries.map(\.id)
        let rows = try await client.query(
            """
            SELECT delivery_id, attempt, attempted_at, status_code, latency_ms, response_body, error, request_headers, response_headers
            FROM webhook_attempts
            WHERE org_id = \(organization) AND delivery_id = ANY(\(ids)::uuid[]) ORDER BY delivery_id, attempted_at, attempt
            """,
            logger: logger
        )
        var byDelivery: [UUID: [WebhookDelivery.Attempt]] = [:]
        for try await (id, attempt, at, code, latency, body, error, sent, received) in rows.decode(
            (UUID, Int, Date, Int?, Int, String?, String?, JSONValue?, JSONValue?).self
        ) {
            byDelivery[id, default: []].append(
                WebhookDelivery.Attempt(
                    attempt: attempt,
                    attemptedAt: at,
                    statusCode: code,
                    latencyMilliseconds: latency,
                    responseBody: body,
                    error: error,
                    requestHeaders: AttemptHeader.parse(sent),
                    responseHeaders: AttemptHeader.parse(received)
                )
            )
        }
        for index in deliveries.indices { deliveries[index].attempts = byDelivery[deliveries[index].id] ?? [] }
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [WebhookDelivery] {
        var result: [WebhookDelivery] = []
        for try await (id, subscription, event, type, status, attempts, next, code, error, created, delivered) in rows.decode(
            (UUID, UUID, UUID, String, String, Int, Date?, Int?, String?, Date, Date?).self
        ) {
            result.append(
                WebhookDelivery(
                    id: id,
                    subscriptionID: subscription,
                    eventID: event,
                    eventType: type,
                    status: status,
                    attemptCount: attempts,
                    nextAttemptAt: next,
                    lastStatusCode: code,
                    lastError: error,
                    createdAt: created,
                    deliveredAt: delivered,
                    attempts: []
                )
            )
        }
        return result
    }

    public static func cursorKey(_ delivery: WebhookDelivery) -> String {
        TimeOrderedCursor.key(createdAt: delivery.createdAt, id: delivery.id)
    }
}
