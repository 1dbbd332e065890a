import Foundation
import HubCore

/// Shopify webhooks carry the REST representation of the object (a deletion only its `id`):
/// the topic's resource names the entity, and the payload becomes a record exactly as a listing
/// would make it.
extension ShopifyConnector: WebhookInterpreting {
    public static func changes(for webhook: VerifiedWebhook) -> [WebhookChange] {
        guard case .object(let object) = webhook.payload else { return [] }
        let parts = webhook.eventType.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return [] }
        let (resource, action) = (parts[0], parts[1])
        if webhook.eventType == "app/uninstalled" {
            return [.reauthorize(reason: "the hub's app was uninstalled from the shop; connect the shop again")]
        }
        guard ShopifyEntities.all.contains(where: { $0.name == resource }) else { return [] }
        let record: ProviderRecord
        if resource == "inventory_levels" {
            // Without both the item and the location the event names no level.
            guard object["inventory_item_id"]?.idText != nil, object["location_id"]?.idText != nil else { return [] }
            record = Self.levelRecord(object)
        } else {
            record = Self.record(object)
        }
        guard !record.externalID.isEmpty else { return [] }
        if action == "delete" || action == "disconnect" {
            return [.delete(entity: resource, externalID: record.externalID, final: action == "delete")]
        }
        return [.upsert(entity: resource, record: record)]
    }

    public static func actsOn(eventType: String) -> Bool {
        let resource = eventType.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        return eventType == "app/uninstalled" || ShopifyEntities.all.contains { $0.name == resource }
    }
}
