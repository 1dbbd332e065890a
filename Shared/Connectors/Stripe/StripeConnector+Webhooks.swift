import Foundation
import HubCore

/// Stripe events carry the object's state after the change (`data.object`): a record for the
/// entity whose objects have that `object` kind, timed at the event as the incremental pull
/// times it, or a deletion for the route's deletion types.
extension StripeConnector: WebhookInterpreting {
    public static func changes(for webhook: VerifiedWebhook) -> [WebhookChange] {
        guard let object = webhook.payload[stripe: "data"]?[stripe: "object"], let kind = object[stripe: "object"]?.stripeString,
            let route = StripeEntityRoute.all.first(where: { $0.object == kind && ($0.eventTypes?.contains(webhook.eventType) ?? false) }),
            let record = try? record(object, route: route, changedAt: webhook.payload[stripe: "created"]?.stripeInt)
        else { return [] }
        if route.deletionTypes.contains(webhook.eventType) {
            return [.delete(entity: route.entity, externalID: record.externalID)]
        }
        return [.upsert(entity: route.entity, record: record)]
    }

    public static func actsOn(eventType: String) -> Bool {
        StripeEntityRoute.all.contains { $0.eventTypes?.contains(eventType) ?? false }
    }
}
