import Foundation
import HubCore
import PostgresNIO

/// How one subscription's deliveries fared over a recent window: of the deliveries created in it
/// that were attempted at least once, how many were delivered, how many failed for good, and how
/// many are still being retried. `successRate` is delivered / attempted (nil when none was).
public struct DeliveryStats: Sendable, Encodable, Equatable {
    public var subscriptionID: UUID
    public var attempted: Int
    public var delivered: Int
    public var failed: Int
    public var retrying: Int
    public var successRate: Double?

    public init(subscriptionID: UUID, attempted: Int, delivered: Int, failed: Int, retrying: Int) {
        self.subscriptionID = subscriptionID
        self.attempted = attempted
        self.delivered = delivered
        self.failed = failed
        self.retrying = retrying
        self.successRate = attempted == 0 ? nil : Double(delivered) / Double(attempted)
    }

    enum CodingKeys: String, CodingKey {
        case attempted, delivered, failed, retrying
        case subscriptionID = "subscription_id"
        case successRate = "success_rate"
    }

    /// `success_rate` is always present: null when nothing was attempted, not left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(subscriptionID, forKey: .subscriptionID)
        try container.encode(attempted, forKey: .attempted)
        try container.encode(delivered, forKey: .delivered)
        try container.encode(failed, forKey: .failed)
        try container.encode(retrying, forKey: .retrying)
        try container.encode(successRate, forKey: .successRate)
    }
}

extension DeliveryRepository {
    /// Every subscription of the organization with its deliveries since `since` (subscriptions
    /// without any are listed with zeros, so a client can show each endpoint). The subscription
    /// index (subscription_id, created_at) keeps this to the window's rows.
    public func stats(organization: UUID, since: Date) async throws -> [DeliveryStats] {
        let rows = try await client.query(
            """
            SELECT s.id,
                count(d.id) FILTER (WHERE d.attempt_count > 0),
                count(d.id) FILTER (WHERE d.attempt_count > 0 AND d.status = 'delivered'),
                count(d.id) FILTER (WHERE d.attempt_count > 0 AND d.status = 'failed'),
                count(d.id) FILTER (WHERE d.attempt_count > 0 AND d.status = 'pending')
            FROM webhook_subscriptions s
            LEFT JOIN webhook_deliveries d ON d.subscription_id = s.id AND d.org_id = s.org_id AND d.created_at >= \(since)
            WHERE s.org_id = \(organization) AND s.deleted_at IS NULL
            GROUP BY s.id ORDER BY s.id
            """,
            logger: logger
        )
        var stats: [DeliveryStats] = []
        for try await (id, attempted, delivered, failed, retrying) in rows.decode((UUID, Int, Int, Int, Int).self) {
            stats.append(DeliveryStats(subscriptionID: id, attempted: attempted, delivered: delivered, failed: failed, retrying: retrying))
        }
        return stats
    }
}
