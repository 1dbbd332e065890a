import Foundation
import HubCore
import HubRedis
import Logging

/// Publishes the hub's own events (`connection.connected`, `connection.reauth_required`, …) on
/// the Redis stream webhook-service consumes (`hub:events`), each with a unique id so consumers
/// can deduplicate a retried publish.
public struct HubEventPublisher: Sendable {
    public static let stream = "hub:events"
    /// About how many entries the stream keeps (`MAXLEN ~`); consumers are expected far ahead.
    public static let maxLength = 1_000_000

    let redis: RedisClient
    let logger: Logger

    public init(redis: RedisClient, logger: Logger) {
        self.redis = redis
        self.logger = logger
    }

    /// Appends one event. A failure is logged, not thrown: the change it reports is already
    /// committed and must not be undone by a missing notification.
    public func publish(type: String, organization: UUID, data: JSONValue) async {
        do {
            let body = String(decoding: try JSONEncoder.hub.encode(data), as: UTF8.self)
            try await redis.xadd(
                Self.stream,
                fields: [
                    "id": "evt_" + UUID().uuidString.lowercased(), "type": type,
                    "org_id": organization.uuidString.lowercased(), "data": body,
                    "occurred_at": ISO8601DateFormatter().string(from: Date()),
                ],
                maxLength: Self.maxLength
            )
        } catch {
            logger.warning("could not publish a hub event", metadata: ["type": "\(type)", "org_id": "\(organization)", "error": "\(error)"])
        }
    }
}
