import Foundation
import HubCore

/// HubSpot's events name objects, never their new state: each object type with an event for the
/// connection's portal becomes an incremental sync of its entity (line items are part of their
/// deal), deletions included — the incremental listing reports archived objects. The sync queue
/// coalesces them, so a batch of 100 contact events costs one sync.
extension HubSpotConnector: AppWebhookVerifying {
    /// HubSpot signs with the app's client secret. webhook-service does not read client secrets,
    /// so the same value is configured as the app's webhook key (`HUB_PROVIDER_HUBSPOT_WEBHOOK_SECRET`);
    /// a client secret, where the service holds one, is tried too. Without either the webhooks are refused.
    public static func webhookVerifier(context: ConnectorContext) -> (any WebhookVerifier)? {
        let secrets = [context.webhookSecret, context.client?.clientSecret].compactMap { $0 }.filter { !$0.isEmpty }
        guard !secrets.isEmpty else { return nil }
        return HubSpotWebhookVerifier(secrets: Array(Set(secrets)).sorted())
    }

    public static func changes(for webhook: VerifiedWebhook) -> [WebhookChange] {
        var entities: [String] = []
        for event in webhook.payload.arrayValue ?? [] {
            if let portal = event["portalId"]?.idText, let account = webhook.accountID, portal != account { continue }
            let object = event["subscriptionType"]?.stringValue?.split(separator: ".").first.map(String.init) ?? ""
            guard let entity = entity(forEventObject: object), !entities.contains(entity) else { continue }
            entities.append(entity)
        }
        return entities.map { .resync(entity: $0) }
    }

    /// The hub entity an event's object (`contact` of `contact.creation`) belongs to.
    static func entity(forEventObject object: String) -> String? {
        switch object {
        case "contact": "contacts"
        case "company": "customers"
        case "deal", "line_item": "opportunities"
        case "product": "products"
        default: nil
        }
    }
}
