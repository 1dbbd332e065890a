import Foundation
import HubCore
import HubWebhooks
import Hummingbird
import ServiceEdge

/// An organization's outbound subscriptions:
///
/// - `POST`/`GET …/webhooks/subscriptions`, `GET`/`PATCH`/`DELETE …/webhooks/subscriptions/{id}`
/// - `POST …/{id}/rotate-secret`: a new secret, shown once; the old one keeps signing for the overlap
/// - `POST …/{id}/test`: a `webhook.test` event to this subscription only
///
/// The signing secret appears only in the answers to creation and rotation.
struct SubscriptionRoutes {
    let components: WebhookComponents

    /// `all` is the group `…/webhooks/subscriptions`, `one` the group `…/webhooks/subscriptions/:id`.
    func add(all: RouterGroup<HubRequestContext>, one: RouterGroup<HubRequestContext>) {
        let subscriptions = components.subscriptions
        all.post { request, context -> EditedResponse<RevealedSubscription> in
            let actor = try context.auditActor()
            let body = try await request.decodeJSON(as: CreateSubscriptionRequest.self, context: context)
            let eventTypes = try validate(eventTypes: body.eventTypes)
            try validate(description: body.description)
            try await checkURL(body.url)
            let created = try await subscriptions.create(
                by: actor,
                .init(url: body.url, eventTypes: eventTypes, description: body.description, enabled: body.enabled ?? true)
            )
            return EditedResponse(status: .created, response: created)
        }
        all.get { request, context -> Page<WebhookSubscription> in
            let identity = try context.requireIdentity()
            let page = try PageRequest(query: request.uri)
            let rows = try await subscriptions.list(organization: identity.organizationID, page: page)
            return Page(rows: rows, limit: page.limit, key: SubscriptionRepository.cursorKey)
        }
        one.get { _, context -> WebhookSubscription in
            try await subscriptions.require(context)
        }
        one.patch { request, context -> WebhookSubscription in
            let actor = try context.auditActor()
            let current = try await subscriptions.require(context)
            let body = try await request.decodeJSON(as: UpdateSubscriptionRequest.self, context: context)
            let eventTypes = try body.eventTypes.map(validate(eventTypes:))
            if let description = body.description { try validate(description: description) }
            if let url = body.url { try await checkURL(url) }
            let change = SubscriptionRepository.Change(
                url: body.url,
                eventTypes: eventTypes,
                description: body.description,
                enabled: body.enabled
            )
            guard let updated = try await subscriptions.update(by: actor, id: current.id, change) else {
                throw WebhookError.subscriptionNotFound
            }
            return updated
        }
        one.delete { _, context -> Response in
            let actor = try context.auditActor()
            guard try await subscriptions.delete(by: actor, id: try subscriptions.pathID(context)) else {
                throw WebhookError.subscriptionNotFound
            }
            return Response(status: .noContent)
        }
        one.post("rotate-secret") { _, context -> RevealedSubscription in
            let actor = try context.auditActor()
            let id = try subscriptions.pathID(context)
            guard
                let rotated = try await subscriptions.rotateSecret(
                    by: actor,
                    id: id,
                    overlapSeconds: components.configuration.secretOverlapSeconds
                )
            else { throw WebhookError.subscriptionNotFound }
            return rotated
        }
        one.post("test") { _, context -> JSONValueResponse in
            let identity = try context.requireIdentity()
            let current = try await subscriptions.require(context)
            guard current.enabled else {
                throw APIError.subscriptionDisabled
            }
            let event = try await components.events.accept(
                EventStore.NewEvent(
                    organizationID: identity.organizationID,
                    type: WebhookEventTypes.test,
                    data: ["subscription_id": .string(current.id.uuidString.lowercased()), "message": "a test event from the integration hub"],
                    source: .test,
                    onlySubscription: current.id
                ),
                wakeup: components.wakeup
            )
            return JSONValueResponse(status: .accepted, body: event.json)
        }
    }

    /// The filters to store: each checked, a repeated one kept once (in the order first given).
    func validate(eventTypes: [String]) throws -> [String] {
        guard !eventTypes.isEmpty, eventTypes.count <= 100 else {
            throw APIError.validation("'event_types' must list 1 to 100 filters (an event type, '<prefix>.*' or '*')", field: "event_types")
        }
        var seen: Set<String> = []
        var filters: [String] = []
        for (index, filter) in eventTypes.enumerated() {
            if let problem = EventTypeFilter.problem(with: filter, catalog: components.catalog) {
                throw APIError.validation(problem, field: "event_types[\(index)]")
            }
            if seen.insert(filter).inserted { filters.append(filter) }
        }
        return filters
    }

    func validate(description: String?) throws {
        if let description, description.count > 1_000 {
            throw APIError.validation("'description' may be at most 1000 characters", field: "description")
        }
    }

    /// Refuses a URL that is not https (unless allowed) or that reaches a forbidden address.
    func checkURL(_ url: String) async throws {
        _ = try await components.urlGuard.check(url)
    }
}
