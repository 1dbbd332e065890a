import Foundation
import HubCore

/// `POST /api/v1/integrations/events`, read in one pass (`JSONObjectDecodable`): the hottest body
/// the hub reads.
struct PublishEventRequest: Decodable, JSONObjectDecodable {
    static let allowedFields: Set<String> = ["type", "data", "idempotency_key"]
    var type: String
    var data: JSONValue?
    var idempotencyKey: String?

    enum CodingKeys: String, CodingKey {
        case type, data
        case idempotencyKey = "idempotency_key"
    }

    init(fields: JSONFields) throws(APIError) {
        type = try fields.string("type")
        data = fields.optionalValue("data")
        idempotencyKey = try fields.optionalString("idempotency_key")
    }
}

/// `POST …/webhooks/subscriptions`.
struct CreateSubscriptionRequest: Decodable, StrictDecodable {
    static let allowedFields: Set<String> = ["url", "event_types", "description", "enabled"]
    var url: String
    var eventTypes: [String]
    var description: String?
    var enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case url, description, enabled
        case eventTypes = "event_types"
    }
}

/// `PATCH …/webhooks/subscriptions/{id}`: only the fields present change; `"description": null` clears it.
struct UpdateSubscriptionRequest: Decodable, StrictDecodable {
    static let allowedFields: Set<String> = ["url", "event_types", "description", "enabled"]
    var url: String?
    var eventTypes: [String]?
    var description: String??
    var enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case url, description, enabled
        case eventTypes = "event_types"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        eventTypes = try container.decodeIfPresent([String].self, forKey: .eventTypes)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled)
        if container.contains(.description) {
            description = .some(try container.decodeNil(forKey: .description) ? nil : try container.decode(String.self, forKey: .description))
        }
    }
}

/// `POST …/subscriptions/{id}/recover`.
struct RecoverRequest: Decodable, StrictDecodable {
    static let allowedFields: Set<String> = ["since"]
    var since: Date
}
