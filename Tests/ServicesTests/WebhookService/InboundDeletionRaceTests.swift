import Crypto
import Foundation
import HubCore
import HubTestSupport
import NIOHTTP1
import XCTest

/// A deletion webhook against a pull whose page was fetched before the deletion: the page's
/// older state must not bring the record back. The sandbox still listing the deleted customer
/// stands for that page.
final class InboundDeletionRaceTests: XCTestCase {
    func testAPageOlderThanAWebhookDeletionDoesNotBringTheRecordBack() async throws {
        try await InboundHarness.run { harness in
            try await harness.sync.withWorkers(1) {
                let org = UUID()
                let token = try await harness.sync.hub.token(organization: org)
                let connection = try await harness.sync.connectShopify(organization: org)
                try await harness.enable(token, connection: connection, entity: "customers")
                try await harness.sync.sync(token, connection: connection, entity: "customers")
                let stored = try await harness.sync.storedRecords(connection: connection, entity: "customers")
                let id = try XCTUnwrap(stored.keys.sorted().first, "the first pull stored no customer")

                let body = Array(#"{"id":\#(id)}"#.utf8)
                let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array("shopify-sandbox-secret".utf8)))
                let headers: HTTPHeaders = [
                    "X-Shopify-Topic": "customers/delete", "X-Shopify-Shop-Domain": SyncHarness.shop,
                    "X-Shopify-Hmac-Sha256": Data(mac).base64EncodedString(), "X-Shopify-Webhook-Id": "delete-\(UUID())",
                ]
                let posted = try await harness.post("/webhooks/shopify", body: body, headers: headers)
                XCTAssertEqual(posted.status, 200, "\(posted.json)")
                try await harness.waitForProcessing(connection: connection, count: 1)
                let deleted = try await harness.stored(connection: connection, entity: "customers", externalID: id)?.deleted
                XCTAssertEqual(deleted, true)

                // Every page of a full resync holds the customer as it was before the deletion.
                try await harness.sync.sync(token, connection: connection, entity: "customers", fullResync: true)
                let afterOlderPage = try await harness.stored(connection: connection, entity: "customers", externalID: id)?.deleted
                XCTAssertEqual(afterOlderPage, true, "a state older than the deletion brought the customer back")

                // A change at the provider after the deletion is newer: it does bring it back. Shopify's
                // times have whole seconds, so the change waits for the next one.
                try await Task.sleep(for: .milliseconds(1_100))
                let edited = try await harness.sync.sandbox.send(
                    .PUT,
                    "/_admin/shopify/shops/\(SyncHarness.shop)/customers/\(id)",
                    json: #"{"first_name":"Back"}"#
                )
                XCTAssertLessThan(edited.status, 300, edited.text)
                try await harness.sync.sync(token, connection: connection, entity: "customers", fullResync: true)
                let back = try await harness.stored(connection: connection, entity: "customers", externalID: id)
                XCTAssertEqual(back?.deleted, false, "a state newer than the deletion was not taken")
                XCTAssertEqual(back?.canonical["first_name"], "Back")
            }
        }
    }
}
