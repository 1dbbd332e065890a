import Foundation
import HubCore
import HubTestSupport
import NIOHTTP1
import ProviderSandbox
import XCTest

/// A local invoice pushed to PayPal as a draft through the default mapping: it reaches the
/// sandbox once (its create carries `PayPal-Request-Id`, and a second push sends nothing), and an
/// invoice PayPal refuses is a record-level error with PayPal's own words, not a failed job.
/// XCTest, like the `SyncHarness` it runs on.
final class PayPalPushTests: XCTestCase {
    func testALocalInvoiceBecomesOneDraftAndARefusedOneIsARecordError() async throws {
        try await SyncHarness.run(volume: 3, environment: ["HUB_PROVIDER_PAYPAL_RATE_LIMIT": "1000/1000"]) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "paypal", fields: PayPalPullTests.fields)
            let base = "/api/v1/integrations/connections/\(connection)/records/invoices"
            @Sendable func push() async throws -> JSONValue {
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"invoices","direction":"push"}"#)
                return try await harness.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
            }
            @Sendable func invoiceCount() async throws -> Int {
                try await harness.sandbox.send(.GET, "/_admin/paypal/summary").json["invoices"]?.intValue ?? -1
            }
            try await harness.withWorkers(1) {
                try await harness.sync(token, connection: connection, entity: "invoices")
                let count3 = try await invoiceCount()
                XCTAssertEqual(count3, 3)
                let created = try await harness.request(
                    .post,
                    base,
                    token: token,
                    json: #"""
                        {"fields":{"number":"HUB-7","currency":"USD","description":"Pushed",
                        "lines":[{"description":"Audit","quantity":3,"unit_amount":1250}]}}
                        """#
                )
                XCTAssertEqual(created.status, .created, created.text)
                let pushed = try await push()
                XCTAssertEqual(pushed["status"]?.stringValue, "completed", "\(pushed)")
                XCTAssertEqual(pushed["pushed"]?.intValue, 1, "\(pushed)")
                let again = try await push()
                XCTAssertEqual(again["pushed"]?.intValue ?? 0, 0, "\(again)")
                let count4 = try await invoiceCount()
                XCTAssertEqual(count4, 4, "one draft, whatever was retried")

                let stored = try await harness.request(.get, base + "/\(created.json["id"]?.stringValue ?? "")", token: token).json
                let externalID = try XCTUnwrap(stored["external_id"]?.stringValue, "\(stored)")
                let remote = try await harness.sandbox.send(
                    .GET,
                    "/paypal/v2/invoicing/invoices/\(externalID)",
                    headers: ["Authorization": "Bearer \(PayPalProvider.seededToken)"]
                ).json
                XCTAssertEqual(remote["status"]?.stringValue, "DRAFT", "\(remote)")
                XCTAssertEqual(remote["detail"]?["invoice_number"]?.stringValue, "HUB-7")
                XCTAssertEqual(remote["items"]?.arrayValue?.first?["quantity"]?.stringValue, "3", "\(remote)")
                XCTAssertEqual(remote["items"]?.arrayValue?.first?["unit_amount"]?["value"]?.stringValue, "12.50", "\(remote)")
                // PayPal's Money names its currency: the sandbox refuses an item without one.
                XCTAssertEqual(remote["items"]?.arrayValue?.first?["unit_amount"]?["currency_code"]?.stringValue, "USD", "\(remote)")
                XCTAssertEqual(remote["amount"]?["value"]?.stringValue, "37.50")

                // New lines replace the draft's through PayPal's full update, each with the currency.
                let relined = try await harness.request(
                    .patch,
                    base + "/\(created.json["id"]?.stringValue ?? "")",
                    token: token,
                    json:
                        #"{"fields":{"lines":[{"description":"Audit","quantity":2,"unit_amount":1250},{"description":"Filing","quantity":1,"unit_amount":999}]}}"#
                )
                XCTAssertEqual(relined.status, .ok, relined.text)
                let updated = try await push()
                XCTAssertEqual(updated["pushed"]?.intValue, 1, "\(updated)")
                let updatedRemote = try await harness.sandbox.send(
                    .GET,
                    "/paypal/v2/invoicing/invoices/\(externalID)",
                    headers: ["Authorization": "Bearer \(PayPalProvider.seededToken)"]
                ).json
                let items = updatedRemote["items"]?.arrayValue ?? []
                XCTAssertEqual(items.map { $0["unit_amount"]?["currency_code"]?.stringValue }, ["USD", "USD"], "\(updatedRemote)")
                XCTAssertEqual(updatedRemote["amount"]?["value"]?.stringValue, "34.99", "\(updatedRemote)")

                // The same invoice number again: PayPal refuses it (422 DUPLICATE_INVOICE_NUMBER).
                let duplicate = try await harness.request(.post, base, token: token, json: #"{"fields":{"number":"HUB-7","currency":"USD"}}"#)
                XCTAssertEqual(duplicate.status, .created, duplicate.text)
                let refused = try await push()
                XCTAssertEqual(refused["status"]?.stringValue, "completed", "\(refused)")
                let sample = try XCTUnwrap(refused["error_samples"]?.arrayValue?.first, "\(refused)")
                XCTAssertEqual(sample["kind"]?.stringValue, "error")
                let message = sample["message"]?.stringValue ?? ""
                XCTAssertTrue(message.contains("UNPROCESSABLE_ENTITY"), message)
                XCTAssertTrue(message.contains("Invoice number is already in use."), message)
                let countAfterRefusal = try await invoiceCount()
                XCTAssertEqual(countAfterRefusal, 4)
            }
        }
    }
}
