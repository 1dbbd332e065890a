import Foundation
import HubConnectors
import HubCore
import XCTest

/// Shopify-only helpers: inventory adjustment and fulfilment through fulfillment orders.
final class ShopifyInventoryAndFulfillmentTests: XCTestCase {
    func testAdjustingInventoryChangesTheLevelAndSettingIsAnUpdate() async throws {
        try await ShopifySandboxHarness.run(volume: 4) { harness in
            let connector = harness.connector()
            let levels = try await harness.listAll(connector, "inventory_levels", pageSize: 5)
            XCTAssertGreaterThanOrEqual(levels.pages, 2)
            XCTAssertEqual(Set(levels.records.map(\.externalID)).count, levels.records.count)
            let level = try XCTUnwrap(levels.records.first)
            let before = Self.available(level)
            let parts = level.externalID.split(separator: ":").map(String.init)
            let adjusted = try await connector.adjustInventory(itemID: parts[0], locationID: parts[1], by: 5)
            XCTAssertEqual(Self.available(adjusted), before + 5)
            let set = try await connector.update("inventory_levels", id: level.externalID, fields: ["available": 42], idempotencyKey: nil)
            XCTAssertEqual(Self.available(set), 42)
            let reread = try await connector.get("inventory_levels", id: level.externalID)
            XCTAssertEqual(Self.available(reread), 42)
        }
    }

    func testFulfillingAnOrderClosesItsFulfillmentOrdersAndListsTheFulfillment() async throws {
        try await ShopifySandboxHarness.run(volume: 4) { harness in
            let connector = harness.connector()
            let orders = try await harness.listAll(connector, "orders", pageSize: 50)
            let open = try XCTUnwrap(
                orders.records.first { record in
                    guard case .object(let fields) = record.payload else { return false }
                    return fields["closed_at"] == .null && fields["cancelled_at"] == .null
                }
            )
            let fulfillment = try await connector.fulfillOrder(orderID: open.externalID, trackingNumber: "1Z999", trackingCompany: "UPS")
            guard case .object(let fields) = fulfillment.payload else { return XCTFail("not an object") }
            XCTAssertEqual(fields["tracking_number"], "1Z999")
            let remaining = try await connector.fulfillmentOrders(orderID: open.externalID)
            XCTAssertTrue(remaining.allSatisfy { if case .object(let fo) = $0 { fo["status"] == "closed" } else { false } })
            let order = try await connector.get("orders", id: open.externalID)
            guard case .object(let orderFields) = order.payload else { return XCTFail("not an object") }
            XCTAssertEqual(orderFields["fulfillment_status"], "fulfilled")
            let listed = try await harness.listAll(connector, "fulfillments", pageSize: 2)
            XCTAssertTrue(listed.records.contains { $0.externalID == fulfillment.externalID })
            let read = try await connector.fulfillment(orderID: open.externalID, id: fulfillment.externalID)
            XCTAssertEqual(read.externalID, fulfillment.externalID)
            do {
                _ = try await connector.fulfillOrder(orderID: open.externalID)
                XCTFail("fulfilled twice")
            } catch {
                guard case .validation? = error as? ConnectorError else { return XCTFail("expected validation, got \(error)") }
            }
        }
    }

    func testPageInfoWithOtherFiltersIsRefusedLikeShopify() async throws {
        try await ShopifySandboxHarness.run(volume: 3) { harness in
            let base = "/shopify/\(ShopifySandboxHarness.shop)/admin/api/2024-01/products.json"
            let first = try await harness.request(.GET, "\(base)?limit=1", headers: ["X-Shopify-Access-Token": "shpat_sandbox"])
            let link = try XCTUnwrap(first.headers.first(name: "Link"))
            XCTAssertTrue(link.contains("rel=\"next\""))
            XCTAssertFalse(link.contains("rel=\"previous\""), "the first page has no previous page")
            let pageInfo = try XCTUnwrap(link.split(separator: "page_info=").last?.split(separator: ">").first)
            let refused = try await harness.request(
                .GET,
                "\(base)?limit=1&page_info=\(pageInfo)&vendor=Acme",
                headers: ["X-Shopify-Access-Token": "shpat_sandbox"]
            )
            XCTAssertEqual(refused.status, 400)
            let second = try await harness.request(
                .GET,
                "\(base)?limit=1&page_info=\(pageInfo)",
                headers: ["X-Shopify-Access-Token": "shpat_sandbox"]
            )
            XCTAssertEqual(second.status, 200)
            XCTAssertTrue(second.headers.first(name: "Link")?.contains("rel=\"previous\"") ?? false)
        }
    }

    static func available(_ record: ProviderRecord) -> Int {
        guard case .object(let fields) = record.payload, case .number(let value)? = fields["available"] else { return Int.min }
        return Int(value)
    }
}
