import HubConnectors
import HubSync
import HubWebhooks
import Testing

/// Entity event types are named with a real English singular of the entity type.
struct EntityEventNamesTests {
    @Test(arguments: [
        ("companies", "company"), ("opportunities", "opportunity"), ("invoices", "invoice"), ("expenses", "expense"),
        ("customers", "customer"), ("charges", "charge"), ("prices", "price"), ("messages", "message"),
        ("addresses", "address"), ("bank_accounts", "bank_account"), ("inventory_levels", "inventory_level"),
        ("bank_transactions", "transaction"), ("subscriptions", "subscription"), ("boxes", "box"), ("batches", "batch"),
    ])
    func singular(plural: String, singular: String) {
        #expect(EntityEvents.subject(of: plural) == singular)
    }

    @Test func everyEntityOfEveryProviderHasAKnownSingular() {
        let expected: [String: String] = [
            "accounts": "account", "balance_transactions": "balance_transaction", "bank_accounts": "bank_account",
            "bank_transactions": "transaction", "channels": "channel", "charges": "charge", "companies": "company",
            "contacts": "contact", "customers": "customer", "deals": "deal", "disputes": "dispute", "expenses": "expense",
            "fulfillments": "fulfillment",
            "inventory_levels": "inventory_level", "invoices": "invoice", "locations": "location", "messages": "message",
            "opportunities": "opportunity", "orders": "order", "payments": "payment", "payouts": "payout", "prices": "price",
            "products": "product", "projects": "project", "subscriptions": "subscription",
            "vendors": "vendor", "tax_rates": "tax_rate", "bills": "bill", "bill_payments": "bill_payment", "credit_notes": "credit_note",
        ]
        for entity in Set(ConnectorRegistry.standard.definitions.flatMap { $0.entities.map(\.name) }) {
            #expect(EntityEvents.subject(of: entity) == expected[entity], "\(entity)")
        }
    }

    @Test func theCatalogNamesNoEntityWithABrokenSingular() {
        let catalog = EventCatalog()
        for type in catalog.types where type.source == .entity {
            #expect(!type.type.contains("ie."), "\(type.type)")
            #expect(!type.description.contains("companie"), "\(type.description)")
        }
        #expect(EntityEvents.type(entity: "companies", change: .created) == "company.created")
    }

    @Test func theCatalogListsEntityEventsOnlyForProvidersThatSync() {
        let catalog = EventCatalog()
        // HubSpot's deals have no data connector: nothing would ever send `deal.created`.
        #expect(catalog.type(named: "deal.created") == nil)
        #expect(catalog.type(named: "order.created")?.source == .entity)
    }
}
