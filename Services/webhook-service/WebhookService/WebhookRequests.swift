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

/// `POST /api/v1/integrations/events/batch`: `{"events": [<PublishEvent>, …]}`. The items stay
/// raw here: each is read on its own, so a malformed one is refused alone.
struct PublishEventBatchRequest: Decodable, JSONObjectDecodable {
    static let allowedFields: Set<String> = ["events"]
    static let maxEvents = 100
    var events: [JSONValue]

    init(fields: JSONFields) throws(APIError) {
        switch fields.object["events"] {
        case .array(let items)?: events = items
        case nil: throw .validation("'events' is required", field: "events")
        case .null?: throw .validation("'events' must not be null", field: "events")
        default: throw .validation("'events' must be an array", field: "events")
        }
        guard (1...Self.maxEvents).contains(events.count) else {
            throw .validation("'events' holds \(events.count) events; a batch holds 1 to \(Self.maxEvents)", field: "events")
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let events = try container.decode([JSONValue].self, forKey: .events)
        do {
            try self.init(fields: JSONFields(["events": .array(events)]))
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .events, in: container, debugDescription: error.message)
        }
    }

    enum CodingKeys: String, CodingKey {
        case events
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

/// `PATCH …/webhooks/subscriptions/{id}`: only the fields present change; `"description": null`
/// clears it, a null for any other field is refused.
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
        url = try container.decodeUnlessNull(String.self, forKey: .url)
        eventTypes = try container.decodeUnlessNull([String].self, forKey: .eventTypes)
        enabled = try container.decodeUnlessNull(Bool.self, forKey: .enabled)
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
