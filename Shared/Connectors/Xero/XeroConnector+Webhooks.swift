import Foundation
import HubCore

/// Xero's events carry ids, never data: each category with an event for the connection's tenant
/// becomes an incremental sync of the entities it may have changed (contacts are customers and
/// vendors, invoices are sales invoices and bills). The sync queue coalesces them, so a burst of
/// 500 invoice events costs one sync.
extension XeroConnector: AppWebhookVerifying {
    /// The app's webhook key comes with the hub's Xero registration
    /// (`HUB_PROVIDER_XERO_WEBHOOK_SECRET`); without one Xero's webhooks are refused.
    public static func webhookVerifier(context: ConnectorContext) -> (any WebhookVerifier)? {
        guard let key = context.webhookSecret, !key.isEmpty else { return nil }
        return XeroWebhookVerifier(keys: [key])
    }

    public static func changes(for webhook: VerifiedWebhook) -> [WebhookChange] {
        var entities: [String] = []
        for event in webhook.payload["events"]?.arrayValue ?? [] {
            // An event for another tenant is not this connection's.
            if let tenant = event["tenantId"]?.stringValue, let account = webhook.accountID, tenant.lowercased() != account.lowercased() { continue }
            for entity in XeroEntityRoute.entities(forEventCategory: event["eventCategory"]?.stringValue ?? "") where !entities.contains(entity) {
                entities.append(entity)
            }
        }
        return entities.map { .resync(entity: $0) }
    }
}
