import Foundation

/// A delivery as the delivery log shows it, with every attempt.
public struct WebhookDelivery: Sendable, Encodable {
    public struct Attempt: Sendable, Encodable {
        public var attempt: Int
        public var attemptedAt: Date
        public var statusCode: Int?
        public var latencyMilliseconds: Int
        /// The first kilobyte of the response body.
        public var responseBody: String?
        public var error: String?
        /// What the hub sent and what the endpoint answered; nil when unknown (no request or
        /// response, or an attempt logged before headers were).
        public var requestHeaders: [AttemptHeader]?
        public var responseHeaders: [AttemptHeader]?

        enum CodingKeys: String, CodingKey {
            case attempt, error
            case requestHeaders = "request_headers"
            case responseHeaders = "response_headers"
            case attemptedAt = "attempted_at"
            case statusCode = "status_code"
            case latencyMilliseconds = "latency_ms"
            case responseBody = "response_body"
        }
    }

    public var id: UUID
    public var subscriptionID: UUID
    public var eventID: UUID
    public var eventType: String
    public var status: String
    public var attemptCount: Int
    /// When a pending delivery is next tried.
    public var nextAttemptAt: Date?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?
    public var attempts: [Attempt]

    enum CodingKeys: String, CodingKey {
        case id, status, attempts
        case webhookID = "webhook_id"
        case subscriptionID = "subscription_id"
        case eventID = "event_id"
        case eventType = "event_type"
        case attemptCount = "attempt_count"
        case nextAttemptAt = "next_attempt_at"
        case lastStatusCode = "last_status_code"
        case lastError = "last_error"
        case createdAt = "created_at"
        case deliveredAt = "delivered_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(ClaimedDelivery.webhookID(id), forKey: .webhookID)
        try container.encode(subscriptionID, forKey: .subscriptionID)
        try container.encode(AcceptedEvent.publicID(eventID), forKey: .eventID)
        try container.encode(eventType, forKey: .eventType)
        try container.encode(status, forKey: .status)
        try container.encode(attemptCount, forKey: .attemptCount)
        try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
        try container.encode(lastStatusCode, forKey: .lastStatusCode)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(deliveredAt, forKey: .deliveredAt)
        try container.encode(attempts, forKey: .attempts)
    }

    public static let statuses = ["pending", "delivered", "failed", "cancelled"]
}
