import Foundation

/// Where an organization's Slack connection announces hub events: one channel and the event
/// types to post there. Stored as a webhook subscription with a Slack target, so its messages go
/// through the same durable deliveries as webhooks.
public struct SlackNotification: Sendable, Encodable, Equatable {
    public var subscriptionID: UUID
    public var connectionID: UUID
    public var channel: String
    public var eventTypes: [String]
    public var enabled: Bool
    /// Why the hub stopped posting (the connection was disconnected), nil while enabled.
    public var disabledReason: String?
    public var updatedAt: Date

    /// What a new configuration announces unless told otherwise: what needs a person's attention.
    public static let defaultEventTypes = ["connection.reauth_required", "sync.failed", WebhookEventTypes.endpointDisabled]

    enum CodingKeys: String, CodingKey {
        case channel, enabled
        case subscriptionID = "subscription_id"
        case connectionID = "connection_id"
        case eventTypes = "event_types"
        case disabledReason = "disabled_reason"
        case updatedAt = "updated_at"
    }
}
