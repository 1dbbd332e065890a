import Foundation
import HubConnectors
import HubCore
import XCTest

/// What a verified Shopify webhook means for the store (`ShopifyConnector+Webhooks.swift`).
final class ShopifyWebhookChangesTests: XCTestCase {
    static func webhook(_ topic: String, _ payload: JSONValue) -> VerifiedWebhook {
        VerifiedWebhook(eventID: "b54557e4", accountID: "example.myshopify.com", eventType: topic, payload: payload)
    }

    static let order: JSONValue = ["id": 450_789_469, "name": "#1001", "updated_at": "2026-11-23T10:00:00-05:00"]
    static let level: JSONValue = ["inventory_item_id": 808_950_810, "location_id": 905_684_977, "available": 6]

    func testCreateAndUpdateTopicsUpsertTheObjectUnderItsResource() {
        let updatedAt = Date(timeIntervalSince1970: 1_795_446_000)  // 2026-11-23T15:00:00Z
        let record = ProviderRecord(externalID: "450789469", updatedAt: updatedAt, payload: Self.order)
        XCTAssertEqual(ShopifyConnector.changes(for: Self.webhook("orders/create", Self.order)), [.upsert(entity: "orders", record: record)])
        XCTAssertEqual(ShopifyConnector.changes(for: Self.webhook("orders/updated", Self.order)), [.upsert(entity: "orders", record: record)])
        let product: JSONValue = ["id": 632_910_392, "title": "IPod Nano"]
        XCTAssertEqual(
            ShopifyConnector.changes(for: Self.webhook("products/update", product)),
            [.upsert(entity: "products", record: ProviderRecord(externalID: "632910392", updatedAt: nil, payload: product))]
        )
    }

    func testDeleteTopicsCarryOnlyTheIDAndDelete() {
        XCTAssertEqual(
            ShopifyConnector.changes(for: Self.webhook("customers/delete", ["id": 706_405_506])),
            [.delete(entity: "customers", externalID: "706405506")]
        )
        XCTAssertEqual(
            ShopifyConnector.changes(for: Self.webhook("products/delete", ["id": "632910392"])),
            [.delete(entity: "products", externalID: "632910392")]
        )
    }

    func testAnInventoryLevelIsNamedByItemAndLocationAndDisconnectDeletesIt() {
        let record = ProviderRecord(externalID: "808950810:905684977", updatedAt: nil, payload: Self.level)
        XCTAssertEqual(
            ShopifyConnector.changes(for: Self.webhook("inventory_levels/update", Self.level)),
            [.upsert(entity: "inventory_levels", record: record)]
        )
        XCTAssertEqual(
            ShopifyConnector.changes(for: Self.webhook("inventory_levels/disconnect", Self.level)),
            [.delete(entity: "inventory_levels", externalID: "808950810:905684977", final: false)]
        )
        let withoutLocation: JSONValue = ["inventory_item_id": 808_950_810, "available": 6]
        XCTAssertEqual(ShopifyConnector.changes(for: Self.webhook("inventory_levels/update", withoutLocation)), [], "no location, no level")
    }

    /// A number that is no exact id (past Int64, past 2^53 where a Double skips integers, or a
    /// fraction) names nothing: the event changes nothing and the process does not trap.
    func testAnIDNoDoubleHoldsExactlyIsNoID() {
        XCTAssertEqual(ShopifyConnector.changes(for: Self.webhook("customers/delete", ["id": .number(1e19)])), [])
        XCTAssertEqual(ShopifyConnector.changes(for: Self.webhook("customers/delete", ["id": 820_982_911_946_154_508])), [])
        XCTAssertEqual(ShopifyConnector.changes(for: Self.webhook("customers/delete", ["id": .number(706_405_506.5)])), [])
        XCTAssertEqual(
            ShopifyConnector.changes(for: Self.webhook("customers/delete", ["id": 9_007_199_254_740_992])),
            [.delete(entity: "customers", externalID: "9007199254740992")],
            "2^53 is still exact"
        )
    }

    func testAppUninstalledAsksForReauthorization() {
        let changes = ShopifyConnector.changes(for: Self.webhook("app/uninstalled", ["id": 548_380_009, "domain": "example.myshopify.com"]))
        XCTAssertEqual(changes.count, 1)
        guard case .reauthorize(let reason)? = changes.first else { return XCTFail("\(changes)") }
        XCTAssertTrue(reason.contains("uninstalled"), reason)
    }

    func testTopicsOfOtherResourcesMeanNothing() {
        XCTAssertEqual(ShopifyConnector.changes(for: Self.webhook("carts/update", ["id": 1])), [])
        XCTAssertEqual(ShopifyConnector.changes(for: Self.webhook("shop/update", ["id": 1])), [])
        XCTAssertEqual(ShopifyConnector.changes(for: Self.webhook("orders", Self.order)), [], "a topic without an action")
    }

    /// The interpreter does not throw: a body it cannot read is acknowledged and changes nothing.
    func testMalformedBodiesMeanNothing() {
        XCTAssertEqual(ShopifyConnector.changes(for: Self.webhook("orders/create", [Self.order])), [], "not an object")
        XCTAssertEqual(ShopifyConnector.changes(for: Self.webhook("orders/create", ["name": "#1001"])), [], "no id")
        XCTAssertEqual(ShopifyConnector.changes(for: Self.webhook("customers/delete", ["id": .number(1.5)])), [], "an id that is no integer")
    }
}
