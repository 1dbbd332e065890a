import HubConnectors
import Testing

/// The catalog advertises `sync`, `push` and `realtime` only where a connector implements them.
struct AdvertisedCapabilitiesTests {
    @Test func onlyDataConnectorsAdvertiseSyncPushOrRealtime() {
        let registry = ConnectorRegistry.standard
        let moving = Set(registry.definitions.filter { !Set($0.capabilities).isDisjoint(with: [.sync, .push, .realtime]) }.map(\.id))
        #expect(moving == ["hubspot", "paypal", "plaid", "quickbooks", "salesforce", "shopify", "stripe", "xero"])
        for definition in registry.definitions where !moving.contains(definition.id) {
            #expect(!(registry.connector(id: definition.id) is any DataConnector.Type), "\(definition.id)")
        }
    }

    @Test func declaredCapabilitiesWithoutAConnectorAreDropped() {
        let registry = ConnectorRegistry.standard
        #expect(registry.definition(id: "quickbooks")?.capabilities == [.oauth, .webhooks, .sync, .push, .realtime])
        #expect(registry.definition(id: "xero")?.capabilities == [.oauth, .webhooks, .sync, .push, .realtime])
        #expect(registry.definition(id: "stripe")?.capabilities == [.apiKey, .webhooks, .sync, .push, .realtime])
        #expect(registry.definition(id: "plaid")?.capabilities == [.webhooks, .sync, .realtime])
        // Salesforce sends no HMAC-signed webhooks: the hub polls it, so no `realtime`.
        #expect(registry.definition(id: "salesforce")?.capabilities == [.oauth, .sync, .push])
        #expect(registry.definition(id: "hubspot")?.capabilities == [.oauth, .webhooks, .sync, .push, .realtime])
        // Payments and disputes are read, invoices pushed as drafts; its webhooks trigger syncs.
        #expect(registry.definition(id: "paypal")?.capabilities == [.apiKey, .webhooks, .sync, .push, .realtime])
    }

    /// Slack posts notifications and takes Events API webhooks; it syncs no records.
    @Test func slackAdvertisesOAuthAndWebhooksOnly() {
        let registry = ConnectorRegistry.standard
        let slack = registry.definition(id: "slack")
        #expect(slack?.capabilities == [.oauth, .webhooks])
        #expect(slack?.webhookEvents == ["app_uninstalled", "tokens_revoked"])
        #expect(registry.connector(id: "slack") is any AppWebhookVerifying.Type, "its webhooks are verified")
        #expect(!(registry.connector(id: "slack") is any DataConnector.Type))
    }
}
