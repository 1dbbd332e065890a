import HubWebhooks
import XCTest

final class EventCatalogTests: XCTestCase {
    let catalog = EventCatalog()

    func testTheCatalogHoldsTheProductsTheSyncsAndTheHubsTypes() {
        let names = Set(catalog.types.map(\.type))
        for type in EventCatalog.productTypes { XCTAssertTrue(names.contains(type), type) }
        for type in [
            "customer.created", "customer.updated", "customer.deleted", "invoice.created", "invoice.deleted", "payment.received",
            "product.created", "order.updated", "transaction.created", "connection.connected", "connection.disconnected",
            "connection.reauth_required", "sync.completed", "sync.failed", "webhook_endpoint.disabled",
        ] {
            XCTAssertTrue(names.contains(type), type)
        }
        XCTAssertEqual(catalog.type(named: "invoice.paid")?.source, .product)
        XCTAssertEqual(catalog.type(named: "sync.failed")?.source, .hub)
        XCTAssertFalse(catalog.isPublishable("connection.connected"))
        XCTAssertTrue(catalog.isPublishable("invoice.paid"))
        XCTAssertFalse(catalog.isPublishable("invoice.exploded"))
    }

    func testFilters() {
        XCTAssertNil(EventTypeFilter.problem(with: "invoice.*", catalog: catalog))
        XCTAssertNil(EventTypeFilter.problem(with: "*", catalog: catalog))
        XCTAssertNotNil(EventTypeFilter.problem(with: "invoice.exploded", catalog: catalog))
        XCTAssertNotNil(EventTypeFilter.problem(with: "nothing.*", catalog: catalog))
    }
}
