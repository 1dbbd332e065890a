import Foundation
import HubConnectors
import HubCore
import NIOHTTP1
import XCTest

/// The Shopify connector against the emulated Admin API.
final class ShopifyConnectorTests: XCTestCase {
    func testPagingThroughThreePagesMissesAndRepeatsNothing() async throws {
        try await ShopifySandboxHarness.run(volume: 23) { harness in
            let connector = harness.connector()
            let (records, pages, checkpoint) = try await harness.listAll(connector, "products", pageSize: 10)
            XCTAssertEqual(pages, 3)
            XCTAssertEqual(records.count, 23)
            XCTAssertEqual(Set(records.map(\.externalID)).count, 23, "no product twice")
            XCTAssertEqual(records.map(\.externalID), records.map(\.externalID).sorted { Int64($0) ?? 0 < Int64($1) ?? 0 }, "in id order")
            XCTAssertNotNil(checkpoint)
            let orders = try await harness.listAll(connector, "orders", pageSize: 10)
            XCTAssertEqual(orders.records.count, 23, "status=any: open, closed and cancelled orders")
            XCTAssertEqual(Set(orders.records.map(\.externalID)).count, 23)
        }
    }

    func testIncrementalListingSeesUpdatesToOldObjects() async throws {
        try await ShopifySandboxHarness.run(volume: 12) { harness in
            let connector = harness.connector()
            let full = try await harness.listAll(connector, "customers", pageSize: 5)
            let checkpoint = try XCTUnwrap(full.checkpoint)
            let oldest = try XCTUnwrap(full.records.first?.externalID)
            try await harness.request(.PUT, "/_admin/shopify/shops/\(ShopifySandboxHarness.shop)/customers/\(oldest)", json: #"{"note":"VIP"}"#)
            let changed = try await harness.listAll(connector, "customers", pageSize: 5, since: checkpoint)
            XCTAssertEqual(changed.records.map(\.externalID), [oldest], "only the updated customer")
            XCTAssertEqual(changed.records.first?.payload.objectFields?["note"], .string("VIP"))
            XCTAssertNotNil(changed.checkpoint)
        }
    }

    func testDeletionsArriveAsSignedWebhooksAndVanishFromAFullListing() async throws {
        try await ShopifySandboxHarness.run(volume: 6) { harness in
            try await harness.subscribeInbox()
            let connector = harness.connector()
            let before = try await harness.listAll(connector, "products", pageSize: 50)
            let victim = try XCTUnwrap(before.records.last?.externalID)
            try await harness.request(.DELETE, "/_admin/shopify/shops/\(ShopifySandboxHarness.shop)/products/\(victim)")
            let delivery = try XCTUnwrap(harness.inbox.received.last)
            let verifier = ShopifyWebhookVerifier(secrets: ["shopify-sandbox-secret"])
            let event = try await verifier.verify(body: delivery.body, headers: delivery.headers, now: Date())
            XCTAssertEqual(event.eventType, "products/delete")
            XCTAssertEqual(event.accountID, ShopifySandboxHarness.shop)
            XCTAssertEqual(event.payload.objectFields?["id"].flatMap { if case .number(let id) = $0 { String(Int64(id)) } else { nil } }, victim)
            XCTAssertFalse(event.eventID.isEmpty)
            let after = try await harness.listAll(connector, "products", pageSize: 50)
            XCTAssertEqual(Set(before.records.map(\.externalID)).subtracting(after.records.map(\.externalID)), [victim])
        }
    }

    func testWritesRoundTrip() async throws {
        try await ShopifySandboxHarness.run(volume: 3) { harness in
            let connector = harness.connector()
            let start = try await harness.listAll(connector, "products", pageSize: 50)
            let created = try await connector.create(
                "products",
                fields: ["title": "Round Trip Mug", "variants": [["price": "12.50", "sku": "RT-1"]]],
                idempotencyKey: nil
            )
            let fetched = try await connector.get("products", id: created.externalID)
            XCTAssertEqual(fetched.payload.objectFields?["title"], "Round Trip Mug")
            XCTAssertEqual(fetched.payload.objectFields?["handle"], "round-trip-mug")
            let updated = try await connector.update("products", id: created.externalID, fields: ["title": "Round Trip Cup"], idempotencyKey: nil)
            XCTAssertEqual(updated.payload.objectFields?["title"], "Round Trip Cup")
            let changed = try await harness.listAll(connector, "products", pageSize: 50, since: start.checkpoint)
            XCTAssertTrue(changed.records.contains { $0.externalID == created.externalID })
            try await connector.delete("products", id: created.externalID)
            do {
                _ = try await connector.get("products", id: created.externalID)
                XCTFail("deleted product still readable")
            } catch {
                XCTAssertEqual(error as? ConnectorError, .notFound(entity: "products", id: created.externalID))
            }
            do {
                _ = try await connector.create("products", fields: ["vendor": "No Title"], idempotencyKey: nil)
                XCTFail("a product without a title was accepted")
            } catch {
                XCTAssertEqual(error as? ConnectorError, .validation(message: "title can't be blank", field: "title"))
            }
        }
    }

    /// Leaking a call every 4 s, the bucket of two refuses the third call unless the three span
    /// 4 s, so a stalled machine still meets the 429; its `Retry-After` is then the larger of the
    /// 2.0 s set here and the time until there is room, 2 to 4 s.
    func testRateLimitIsWaitedOutForRetryAfter() async throws {
        try await ShopifySandboxHarness.run(volume: 3) { harness in
            try await harness.request(.PUT, "/_admin/shopify/call_limit", json: #"{"capacity":2,"leak_per_second":0.25,"retry_after_seconds":2.0}"#)
            let connector = harness.connector(retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(10)))
            _ = try await connector.testConnection()
            _ = try await connector.testConnection()
            let started = ContinuousClock.now
            let check = try await connector.testConnection()
            XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .seconds(2), "waited the Retry-After Shopify sent")
            XCTAssertEqual(check.accountID, ShopifySandboxHarness.shop)
        }
    }

    func testLeakyBucketReportsItsLevelAndAnswers429WithRetryAfter() async throws {
        try await ShopifySandboxHarness.run(volume: 1) { harness in
            let path = "/shopify/\(ShopifySandboxHarness.shop)/admin/api/2024-01/shop.json"
            let headers: HTTPHeaders = ["X-Shopify-Access-Token": "shpat_sandbox"]
            var last: (status: Int, body: String, headers: HTTPHeaders) = (0, "", [:])
            for _ in 0..<41 { last = try await harness.request(.GET, path, headers: headers) }
            XCTAssertEqual(last.status, 429)
            XCTAssertEqual(last.headers.first(name: "Retry-After"), "2.0")
            try await harness.request(.PUT, "/_admin/shopify/call_limit", json: #"{"enabled":true}"#)
            let fresh = try await harness.request(.GET, path, headers: headers)
            XCTAssertEqual(fresh.headers.first(name: "X-Shopify-Shop-Api-Call-Limit"), "1/40")
        }
    }

    func testRevokedOrExpiredTokenIsAuthenticationFailed() async throws {
        try await ShopifySandboxHarness.run(volume: 1) { harness in
            try await harness.request(.PUT, "/_admin/shopify/tokens/shpat_short_lived", json: #"{"shop":"\#(ShopifySandboxHarness.shop)"}"#)
            let connector = harness.connector(token: "shpat_short_lived")
            _ = try await connector.testConnection()
            try await harness.request(.DELETE, "/_admin/shopify/tokens/shpat_short_lived")
            await Self.assertAuthenticationFailed { _ = try await connector.testConnection() }
            try await harness.request(.PUT, "/_admin/faults/shopify", json: #"{"expire_credentials":true}"#)
            await Self.assertAuthenticationFailed { _ = try await harness.connector().list(ListRequest(entity: "products")) }
        }
    }

    func testServerErrorBurstIsRetriedAndSurvived() async throws {
        try await ShopifySandboxHarness.run(volume: 5) { harness in
            try await harness.request(.PUT, "/_admin/faults/shopify", json: #"{"server_error_next":3}"#)
            let page = try await harness.connector().list(ListRequest(entity: "products", pageSize: 50))
            XCTAssertEqual(page.records.count, 5)
        }
    }

    func testMissingScopeIsPermissionDenied() async throws {
        try await ShopifySandboxHarness.run(volume: 1) { harness in
            try await harness.request(
                .PUT,
                "/_admin/shopify/tokens/shpat_products_only",
                json: #"{"shop":"\#(ShopifySandboxHarness.shop)","scopes":["read_products"]}"#
            )
            do {
                _ = try await harness.connector(token: "shpat_products_only").list(ListRequest(entity: "orders"))
                XCTFail("orders read without read_orders")
            } catch {
                guard case .permissionDenied? = error as? ConnectorError else { return XCTFail("expected permissionDenied, got \(error)") }
            }
        }
    }

    static func assertAuthenticationFailed(_ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            try await body()
            XCTFail("the call succeeded", file: file, line: line)
        } catch {
            guard case .authenticationFailed? = error as? ConnectorError else {
                return XCTFail("expected authenticationFailed, got \(error)", file: file, line: line)
            }
        }
    }
}

extension JSONValue {
    fileprivate var objectFields: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }
}
