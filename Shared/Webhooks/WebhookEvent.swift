import Foundation
import HubCore

/// An event the hub accepted for an organization, with how many deliveries it was fanned out to.
public struct AcceptedEvent: Sendable, Equatable {
    public var id: UUID
    public var type: String
    public var createdAt: Date
    /// Deliveries written for it (to enabled subscriptions whose filters match).
    public var deliveries: Int
    /// False when an earlier request with the same idempotency key (or the same stream event)
    /// already made it: nothing new was written.
    public var created: Bool

    /// `evt_<uuid>`, the id receivers see in the body.
    public var publicID: String { Self.publicID(id) }

    public static func publicID(_ id: UUID) -> String { "evt_" + id.uuidString.lowercased() }

    /// The body `POST /events` and a subscription's test event answer with (`JSONValueResponse`):
    /// `{"created_at", "deliveries", "id", "type"}`, the time as the hub writes times everywhere.
    public var json: JSONValue {
        ["id": .string(publicID), "type": .string(type), "created_at": JSONValueResponse.date(createdAt), "deliveries": .number(Double(deliveries))]
    }
}

/// The body every delivery of an event carries (Standard Webhooks' shape):
/// `{"data": …, "id": "evt_…", "timestamp": "<ISO 8601>", "type": "…"}`, keys sorted, written in
/// one pass by `JSONValue`'s writer (the bytes `JSONEncoder` with sorted keys would make).
enum EventPayload {
    static func encode(id: UUID, type: String, data: JSONValue, at date: Date) -> String {
        let payload: JSONValue = [
            "data": data, "id": .string(AcceptedEvent.publicID(id)),
            "timestamp": .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)), "type": .string(type),
        ]
        return String(decoding: payload.encoded(.sorted), as: UTF8.self)
    }
}
