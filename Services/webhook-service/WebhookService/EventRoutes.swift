import Foundation
import HubCore
import HubWebhooks
import Hummingbird
import ServiceEdge

/// The event catalog and publishing:
///
/// - `GET /api/v1/integrations/webhooks/event-types`
/// - `POST /api/v1/integrations/events` → 202 with the event; the same `idempotency_key` (body or
///   `Idempotency-Key` header) again answers the first event and writes nothing
/// - `POST /api/v1/integrations/events/batch` → 200 with each event's outcome (`EventRoutes+Batch`)
struct EventRoutes {
    let components: WebhookComponents

    func add(to api: RouterGroup<HubRequestContext>) {
        api.get("integrations/webhooks/event-types") { _, context -> ListResponse<EventCatalog.EventType> in
            _ = try context.requireIdentity()
            return ListResponse(components.catalog.types)
        }
        api.post("integrations/events") { request, context -> JSONValueResponse in
            let identity = try context.requireIdentity()
            let body = try await request.decodeJSON(as: PublishEventRequest.self, context: context)
            let header = request.headers[.init("Idempotency-Key")!]
            // The header is checked even when the body gives the key: a bad one is the caller's error.
            if let header, header.isEmpty || header.count > 255 {
                throw APIError.validation("'Idempotency-Key' must be 1 to 255 characters", field: "Idempotency-Key")
            }
            if let header, let inBody = body.idempotencyKey, header != inBody {
                throw APIError.validation(
                    "the 'Idempotency-Key' header and the body's 'idempotency_key' differ; give one, or the same in both",
                    field: "idempotency_key"
                )
            }
            let key = body.idempotencyKey ?? header
            let event = try validate(body, idempotencyKey: key)
            let accepted = try await components.events.accept(
                EventStore.NewEvent(
                    organizationID: identity.organizationID,
                    type: event.type,
                    data: event.data,
                    idempotencyKey: key,
                    source: .api
                ),
                wakeup: components.wakeup
            )
            return JSONValueResponse(status: accepted.created ? .accepted : .ok, body: accepted.json)
        }
        api.post("integrations/events/batch") { request, context -> JSONValueResponse in
            let identity = try context.requireIdentity()
            let body = try await request.decodeJSON(as: PublishEventBatchRequest.self, context: context)
            if request.headers[.init("Idempotency-Key")!] != nil {
                throw APIError.validation(
                    "'Idempotency-Key' does not apply to a batch: give each event its own 'idempotency_key'",
                    field: "Idempotency-Key"
                )
            }
            return JSONValueResponse(status: .ok, body: try await publish(body.events, organization: identity.organizationID))
        }
    }

    func validate(_ body: PublishEventRequest, idempotencyKey: String?) throws -> (type: String, data: JSONValue) {
        guard let type = components.catalog.type(named: body.type) else {
            throw APIError(
                .unprocessableContent,
                code: "unknown_event_type",
                message: "'\(body.type)' is not an event type (see GET /api/v1/integrations/webhooks/event-types)",
                details: ["field": "type"]
            )
        }
        guard components.catalog.isPublishable(type.type) else {
            throw APIError.validation("'\(type.type)' is emitted by the hub itself and cannot be published", field: "type")
        }
        if let idempotencyKey, idempotencyKey.isEmpty || idempotencyKey.count > 255 {
            throw APIError.validation("'idempotency_key' must be 1 to 255 characters", field: "idempotency_key")
        }
        let data = body.data ?? [:]
        guard data.objectValue != nil else { throw APIError.validation("'data' must be a JSON object", field: "data") }
        return (type.type, data)
    }
}
