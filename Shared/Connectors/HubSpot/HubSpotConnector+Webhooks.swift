import Foundation
import HubCore

/// HubSpot's events name objects, never their new state: each object type with an event for the
/// connection's portal becomes an incremental sync of its entity (line items are part of their
/// deal), deletions included — the incremental listing reports archived objects. The sync queue
/// coalesces them, so a batch of 100 contact events costs one sync.
/// HubSpot signs with the app's client secret, so its signatures are checked by oauth-service for
/// webhook-service (`ClientSecretSignedWebhooks`); without a client registration they are refused.
extension HubSpotConnector: WebhookInterpreting {
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
