import HubCore

/// Intuit's notifications name changed objects but do not carry them: each named entity the hub
/// syncs gets an incremental sync (queued once however many notifications name it, so a burst
/// costs one sync), and a deleted transaction is removed at once. A "deleted" name-list object
/// (customer, vendor, item, account) is only made inactive, so it is synced like an update.
/// Notifications for another company than the connection's are ignored.
extension QuickBooksConnector: WebhookInterpreting {
    public static func changes(for webhook: VerifiedWebhook) -> [WebhookChange] {
        var changes: [WebhookChange] = []
        var resynced: Set<String> = []
        for event in QuickBooksWebhookEvent.all(in: webhook.payload) {
            if let account = webhook.accountID, let realm = event.realm, realm != account { continue }
            guard let entity = QuickBooksEntities.entity(object: event.object)?.name else { continue }
            if event.operation == "Delete", !QuickBooksEntities.nameLists.contains(event.object) {
                changes.append(.delete(entity: entity, externalID: event.id))
            } else if resynced.insert(entity).inserted {
                changes.append(.resync(entity: entity))
            }
        }
        return changes
    }
}
