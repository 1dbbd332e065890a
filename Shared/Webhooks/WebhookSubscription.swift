import Foundation

/// An organization's endpoint and the event types it wants, as the API shows it. The signing
/// secret is never part of it (see `RevealedSubscription`).
public struct WebhookSubscription: Sendable, Encodable, Equatable {
    public var id: UUID
    public var organizationID: UUID
    public var url: String
    public var eventTypes: [String]
    public var description: String?
    public var enabled: Bool
    /// Why it was disabled (by the hub: 410 Gone, failing too long; by a person: nil reason).
    public var disabledReason: String?
    public var disabledAt: Date?
    /// Until when the secret replaced by the last rotation still signs; nil when none does.
    public var previousSecretExpiresAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    /// The error a delivery records when its subscription is disabled.
    public static let disabledError = "the subscription is disabled"

    enum CodingKeys: String, CodingKey {
        case id, url, description, enabled
        case eventTypes = "event_types"
        case disabledReason = "disabled_reason"
        case disabledAt = "disabled_at"
        case previousSecretExpiresAt = "previous_secret_expires_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A subscription with its signing secret in clear: the answer to creation and rotation only.
public struct RevealedSubscription: Sendable, Encodable {
    public var subscription: WebhookSubscription
    public var secret: String

    public func encode(to encoder: any Encoder) throws {
        try subscription.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(secret, forKey: Key(stringValue: "secret"))
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
