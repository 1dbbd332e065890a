import HubConnectors
import Testing

/// The catalog advertises `sync`, `push` and `realtime` only where a connector implements them.
struct AdvertisedCapabilitiesTests {
    @Test func onlyDataConnectorsAdvertiseSyncPushOrRealtime() {
        let registry = ConnectorRegistry.standard
        let moving = Set(registry.definitions.filter { !Set($0.capabilities).isDisjoint(with: [.sync, .push, .realtime]) }.map(\.id))
        #expect(moving == ["hubspot", "plaid", "quickbooks", "shopify", "stripe", "xero"])
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
        #expect(registry.definition(id: "hubspot")?.capabilities == [.oauth, .webhooks, .sync, .push, .realtime])
    }
}
