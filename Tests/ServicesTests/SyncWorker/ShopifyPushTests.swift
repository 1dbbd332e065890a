import Foundation
import HubCore
import HubTestSupport
import Testing

/// Shopify honours no idempotency key on REST creates: a create whose answer was lost may have
/// made the product, so the sync engine does not send it again within the job (it used to, and
/// Shopify then held two products for one record). The record stays waiting with a problem
/// that says why; an update, which is safe to repeat, is retried as before.
@Suite(.serialized) struct ShopifyPushTests {
    @Test func aCreateWhoseAnswerWasLostIsNotSentAgain() async throws {
        try await SyncHarness.run(volume: 3) { harness in
            let organization = UUID()
            let token = try await harness.hub.token(organization: organization)
            let connection = try await harness.connectShopify(organization: organization)
            let fields = ["shop_domain": SyncHarness.shop, "access_token": "shpat_sandbox"]
            try await harness.withWorkers(1) {
                let before = try await harness.directListing(provider: "shopify", fields: fields, entity: "products").count
                let created = try await harness.request(
                    .post,
                    "/api/v1/integrations/connections/\(connection)/records/products",
                    token: token,
                    json: #"{"fields":{"name":"Lost Answer Widget"}}"#
                )
                #expect(created.status == .created, "\(created.text)")
                // Shopify makes the product, then the connection drops before its answer.
                _ = try await harness.sandbox.send(.PUT, "/_admin/faults/shopify", json: #"{"drop_answer_next":1}"#)
                let pushed = try await BatchPushTests.push(harness, token, connection, "products")
                #expect(pushed["status"]?.stringValue == "completed", "\(pushed)")
                let sample = pushed["error_samples"]?.arrayValue?.first
                #expect(sample?["message"]?.stringValue?.contains("shopify may have made it") == true, "\(pushed)")
                let after = try await harness.directListing(provider: "shopify", fields: fields, entity: "products").count
                #expect(after == before + 1, "one product for one record, not \(after - before)")
                let record = try await harness.request(
                    .get,
                    "/api/v1/integrations/connections/\(connection)/records/products/\(created.json["id"]?.stringValue ?? "")",
                    token: token
                )
                #expect(record.json["pending_operation"]?.stringValue == "create", "\(record.text)")
            }
        }
    }
}
