import Foundation
import HubCore
import HubWebhooks
import Hummingbird
import ServiceEdge

/// A subscription's delivery log and the organization's hands on it:
///
/// - `GET …/subscriptions/{id}/deliveries?status=&event_type=&limit=&cursor=`: newest first, each
///   with every attempt (time, status, latency, the start of the response body, error)
/// - `GET …/subscriptions/{id}/deliveries/{delivery}`: one delivery with its attempts
/// - `POST …/subscriptions/{id}/deliveries/{delivery}/resend`: the same message again, now
/// - `POST …/subscriptions/{id}/recover` `{"since": "<ISO 8601>"}`: every delivery that failed
///   since then, sent again (the subscription must be enabled); only what `WebhookRetention` has
///   not deleted: finished events go after HUB_WEBHOOK_RETENTION_DAYS
/// - `GET …/webhooks/delivery-stats?hours=24`: per subscription, of the deliveries created in the
///   last `hours` (1 to 720) and attempted, how many were delivered (`success_rate`)
struct DeliveryRoutes {
    let components: WebhookComponents

    struct Recovered: ResponseEncodable {
        var recovered: Int
    }

    struct StatsResponse: ResponseEncodable {
        var windowHours: Int
        var since: Date
        var data: [DeliveryStats]

        enum CodingKeys: String, CodingKey {
            case since, data
            case windowHours = "window_hours"
        }
    }

    /// `webhooks` is the group `…/integrations/webhooks`.
    func addStats(to webhooks: RouterGroup<HubRequestContext>) {
        webhooks.get("delivery-stats") { request, context -> StatsResponse in
            let identity = try context.requireIdentity()
            var hours = 24
            if let text = request.uri.queryParameters["hours"] {
                guard let value = Int(String(text)), (1...720).contains(value) else {
                    throw APIError.validation("'hours' must be a whole number from 1 to 720", field: "hours")
                }
                hours = value
            }
            let since = Date().addingTimeInterval(-Double(hours) * 3_600)
            let stats = try await components.deliveries.stats(organization: identity.organizationID, since: since)
            return StatsResponse(windowHours: hours, since: since, data: stats)
        }
    }

    /// `subscription` is the group `…/webhooks/subscriptions/:id`.
    func add(to subscription: RouterGroup<HubRequestContext>) {
        let subscriptions = components.subscriptions
        let deliveries = components.deliveries
        subscription.get("deliveries") { request, context -> Page<WebhookDelivery> in
            let identity = try context.requireIdentity()
            let subscription = try await subscriptions.require(context)
            let page = try PageRequest(query: request.uri)
            let parameters = request.uri.queryParameters
            let status = parameters["status"].map(String.init)
            if let status, !WebhookDelivery.statuses.contains(status) {
                throw APIError.validation("'status' must be one of \(WebhookDelivery.statuses.joined(separator: ", "))", field: "status")
            }
            let filter = DeliveryRepository.Filter(status: status, eventType: parameters["event_type"].map(String.init))
            let rows = try await deliveries.list(organization: identity.organizationID, subscription: subscription.id, filter: filter, page: page)
            return Page(rows: rows, limit: page.limit, key: DeliveryRepository.cursorKey)
        }
        subscription.get("deliveries/:delivery") { _, context -> WebhookDelivery in
            let identity = try context.requireIdentity()
            let subscription = try await subscriptions.require(context)
            let id = try context.pathID("delivery", of: "webhook delivery")
            guard let delivery = try await deliveries.get(organization: identity.organizationID, subscription: subscription.id, id: id)
            else { throw APIError.notFound("webhook delivery") }
            return delivery
        }
        subscription.post("deliveries/:delivery/resend") { _, context -> EditedResponse<WebhookDelivery> in
            let identity = try context.requireIdentity()
            let subscription = try await subscriptions.require(context)
            guard subscription.enabled else {
                throw APIError.subscriptionDisabled
            }
            let id = try context.pathID("delivery", of: "webhook delivery")
            guard let delivery = try await deliveries.resend(organization: identity.organizationID, subscription: subscription.id, id: id)
            else { throw APIError.notFound("webhook delivery") }
            components.wakeup.signal()
            return EditedResponse(status: .accepted, response: delivery)
        }
        subscription.post("recover") { request, context -> EditedResponse<Recovered> in
            let identity = try context.requireIdentity()
            let subscription = try await subscriptions.require(context)
            let body = try await request.decodeJSON(as: RecoverRequest.self, context: context)
            guard subscription.enabled else {
                throw APIError.subscriptionDisabled
            }
            let count = try await deliveries.recover(organization: identity.organizationID, subscription: subscription.id, since: body.since)
            if count > 0 { components.wakeup.signal() }
            return EditedResponse(status: .accepted, response: Recovered(recovered: count))
        }
    }
}
