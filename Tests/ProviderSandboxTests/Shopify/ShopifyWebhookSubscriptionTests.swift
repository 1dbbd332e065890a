import Foundation
import HubConnectors
import XCTest

/// Webhook subscriptions made through the Admin API (`webhooks.json`) receive only their topic.
final class ShopifyWebhookSubscriptionTests: XCTestCase {
    func testSubscribedAddressReceivesItsTopicSignedWithTheAppSecret() async throws {
        try await ShopifySandboxHarness.run(volume: 2) { harness in
            let api = "/shopify/\(ShopifySandboxHarness.shop)/admin/api/2024-01"
            let subscription = try await harness.request(
                .POST,
                "\(api)/webhooks.json",
                json: #"{"webhook":{"topic":"customers/create","address":"http://127.0.0.1:\#(harness.inboxPort)/hook","format":"json"}}"#,
                headers: ["X-Shopify-Access-Token": "shpat_sandbox"]
            )
            XCTAssertEqual(subscription.status, 201)
            try await harness.request(.POST, "/_admin/shopify/shops/\(ShopifySandboxHarness.shop)/products", json: #"{"title":"Unwatched"}"#)
            XCTAssertTrue(harness.inbox.received.isEmpty, "products/create has no subscriber")
            _ = try await harness.connector().create("customers", fields: ["email": "new@example.com"], idempotencyKey: nil)
            let delivery = try XCTUnwrap(harness.inbox.received.first)
            XCTAssertEqual(harness.inbox.received.count, 1)
            let event = try await ShopifyWebhookVerifier(secrets: ["shopify-sandbox-secret"]).verify(
                body: delivery.body,
                headers: delivery.headers,
                now: Date()
            )
            XCTAssertEqual(event.eventType, "customers/create")
            XCTAssertEqual(delivery.headers.first(name: "X-Shopify-API-Version"), "2024-01")
            XCTAssertNotNil(delivery.headers.first(name: "X-Shopify-Triggered-At"))
        }
    }
}
