import HubCore
import NIOHTTP1
import XCTest

@testable import HubConnectors

/// The emulated Stripe API over HTTP: pagination, filters, errors, authentication, idempotency,
/// deletion and events, each as Stripe documents them.
final class StripeSandboxAPITests: XCTestCase {
    func testListsAreNewestFirstWithHasMoreAndURL() async throws {
        try await StripeSandboxHarness.run(volume: 25) { sandbox in
            let reply = try await sandbox.stripe(.GET, "/v1/customers?limit=10")
            XCTAssertEqual(reply.status, 200, reply.text)
            let page = reply.json
            XCTAssertEqual(page[stripe: "object"]?.stripeString, "list")
            XCTAssertEqual(page[stripe: "url"]?.stripeString, "/v1/customers")
            XCTAssertEqual(page[stripe: "has_more"]?.stripeBool, true)
            let data = page[stripe: "data"]?.stripeArray ?? []
            XCTAssertEqual(data.count, 10)
            let created = data.compactMap { $0[stripe: "created"]?.stripeInt }
            XCTAssertEqual(created, created.sorted(by: >), "newest first")
            let all = try await sandbox.ids("customers")
            XCTAssertEqual(data.compactMap { $0[stripe: "id"]?.stripeString }, Array(all.prefix(10)))
            XCTAssertEqual(reply.headers.first(name: "Request-Id")?.hasPrefix("req_"), true)
        }
    }

    func testStartingAfterAndEndingBeforeWalkBothWays() async throws {
        try await StripeSandboxHarness.run(volume: 25) { sandbox in
            let all = try await sandbox.ids("customers")
            let next = try await sandbox.stripe(.GET, "/v1/customers?limit=5&starting_after=\(all[4])").json
            XCTAssertEqual(next[stripe: "data"]?.stripeArray?.compactMap { $0[stripe: "id"]?.stripeString }, Array(all[5..<10]))
            let previous = try await sandbox.stripe(.GET, "/v1/customers?limit=3&ending_before=\(all[10])").json
            XCTAssertEqual(previous[stripe: "data"]?.stripeArray?.compactMap { $0[stripe: "id"]?.stripeString }, Array(all[7..<10]))
            XCTAssertEqual(previous[stripe: "has_more"]?.stripeBool, true, "more objects are newer than the page")
            let last = try await sandbox.stripe(.GET, "/v1/customers?limit=10&starting_after=\(all[20])").json
            XCTAssertEqual(last[stripe: "data"]?.stripeArray?.count, 4)
            XCTAssertEqual(last[stripe: "has_more"]?.stripeBool, false)
        }
    }

    func testCreatedRangeAndObjectFiltersNarrowTheList() async throws {
        try await StripeSandboxHarness.run(volume: 25) { sandbox in
            let newest = try await sandbox.stripe(.GET, "/v1/customers?limit=3").json[stripe: "data"]?.stripeArray ?? []
            let third = newest[2][stripe: "created"]?.stripeInt ?? 0
            let recent = try await sandbox.stripe(.GET, "/v1/customers?limit=100&created%5Bgte%5D=\(third)").json
            XCTAssertEqual(recent[stripe: "data"]?.stripeArray?.count, 3)
            let customer = newest[0][stripe: "id"]?.stripeString ?? ""
            let invoices = try await sandbox.stripe(.GET, "/v1/invoices?limit=100&customer=\(customer)").json
            for invoice in invoices[stripe: "data"]?.stripeArray ?? [] {
                XCTAssertEqual(invoice[stripe: "customer"]?.stripeString, customer)
            }
        }
    }

    func testLimitOutsideOneToHundredIsStripesInvalidRequest() async throws {
        try await StripeSandboxHarness.run(volume: 3) { sandbox in
            for limit in ["101", "0", "ten"] {
                let reply = try await sandbox.stripe(.GET, "/v1/customers?limit=\(limit)")
                XCTAssertEqual(reply.status, 400, limit)
                XCTAssertEqual(reply.json[stripe: "error"]?[stripe: "type"]?.stripeString, "invalid_request_error")
                XCTAssertEqual(reply.json[stripe: "error"]?[stripe: "param"]?.stripeString, "limit")
            }
        }
    }

    func testMissingObjectIsResourceMissing() async throws {
        try await StripeSandboxHarness.run(volume: 3) { sandbox in
            let reply = try await sandbox.stripe(.GET, "/v1/customers/cus_nope")
            XCTAssertEqual(reply.status, 404)
            let error = reply.json[stripe: "error"]
            XCTAssertEqual(error?[stripe: "code"]?.stripeString, "resource_missing")
            XCTAssertEqual(error?[stripe: "message"]?.stripeString, "No such customer: 'cus_nope'")
            XCTAssertEqual(error?[stripe: "param"]?.stripeString, "id")
        }
    }

    func testWrongOrMissingKeyIs401WithoutEchoingTheKey() async throws {
        try await StripeSandboxHarness.run(volume: 3) { sandbox in
            let wrong = "sk_test_thisIsNotTheSandboxKey1234"
            let reply = try await sandbox.stripe(.GET, "/v1/customers", apiKey: wrong)
            XCTAssertEqual(reply.status, 401)
            let message = reply.json[stripe: "error"]?[stripe: "message"]?.stripeString ?? ""
            XCTAssertTrue(message.hasPrefix("Invalid API Key provided: sk_test_"), message)
            XCTAssertFalse(message.contains(wrong))
            let missing = try await sandbox.stripe(.GET, "/v1/customers", apiKey: nil)
            XCTAssertEqual(missing.status, 401)
        }
    }

    func testIdempotencyKeyReplaysTheFirstResponseAndRefusesOtherParameters() async throws {
        try await StripeSandboxHarness.run(volume: 3) { sandbox in
            let key: HTTPHeaders = ["Idempotency-Key": "create-ada"]
            let first = try await sandbox.stripe(.POST, "/v1/customers", form: "name=Ada&metadata%5Border%5D=7", headers: key)
            let again = try await sandbox.stripe(.POST, "/v1/customers", form: "metadata%5Border%5D=7&name=Ada", headers: key)
            XCTAssertEqual(first.status, 200, first.text)
            XCTAssertEqual(again.body, first.body)
            XCTAssertEqual(again.headers.first(name: "Idempotent-Replayed"), "true")
            XCTAssertNil(first.headers.first(name: "Idempotent-Replayed"))
            let other = try await sandbox.stripe(.POST, "/v1/customers", form: "name=Grace", headers: key)
            XCTAssertEqual(other.status, 400)
            XCTAssertEqual(other.json[stripe: "error"]?[stripe: "type"]?.stripeString, "idempotency_error")
            let ids = try await sandbox.ids("customers")
            XCTAssertEqual(ids.count, 4, "one customer created, not two")
        }
    }

    func testUpdatesMergeMetadataAndRecordPreviousAttributes() async throws {
        try await StripeSandboxHarness.run(volume: 3) { sandbox in
            let created = try await sandbox.stripe(.POST, "/v1/customers", form: "email=a%40example.com&metadata%5Ba%5D=1&metadata%5Bb%5D=2").json
            let id = created[stripe: "id"]?.stripeString ?? ""
            let updated = try await sandbox.stripe(.POST, "/v1/customers/\(id)", form: "email=b%40example.com&metadata%5Ba%5D=").json
            XCTAssertEqual(updated[stripe: "email"]?.stripeString, "b@example.com")
            XCTAssertEqual(updated[stripe: "metadata"], .object(["b": "2"]))
            let events = try await sandbox.stripe(.GET, "/v1/events?type=customer.%2A&limit=10").json[stripe: "data"]?.stripeArray ?? []
            XCTAssertEqual(events.compactMap { $0[stripe: "type"]?.stripeString }, ["customer.updated", "customer.created"])
            let previous = events.first?[stripe: "data"]?[stripe: "previous_attributes"]
            XCTAssertEqual(previous?[stripe: "email"]?.stripeString, "a@example.com")
            let unknown = try await sandbox.stripe(.POST, "/v1/customers/\(id)", form: "colour=blue")
            XCTAssertEqual(unknown.status, 400)
            XCTAssertEqual(unknown.json[stripe: "error"]?[stripe: "param"]?.stripeString, "colour")
        }
    }

    func testDeletedCustomerAnswersDeletedAndLeavesTheList() async throws {
        try await StripeSandboxHarness.run(volume: 3) { sandbox in
            let id = try await sandbox.ids("customers")[0]
            let deleted = try await sandbox.stripe(.DELETE, "/v1/customers/\(id)").json
            XCTAssertEqual(deleted, .object(["id": .string(id), "object": "customer", "deleted": true]))
            let retrieved = try await sandbox.stripe(.GET, "/v1/customers/\(id)").json
            XCTAssertEqual(retrieved[stripe: "deleted"]?.stripeBool, true)
            let remaining = try await sandbox.ids("customers")
            XCTAssertFalse(remaining.contains(id))
            let events = try await sandbox.stripe(.GET, "/v1/events?types%5B%5D=customer.deleted").json
            XCTAssertEqual(events[stripe: "data"]?.stripeArray?.first?[stripe: "data"]?[stripe: "object"]?[stripe: "id"]?.stripeString, id)
        }
    }

    func testDeclinedCardIsACardErrorAndRecordsTheFailure() async throws {
        try await StripeSandboxHarness.run(volume: 3) { sandbox in
            let intent = try await sandbox.stripe(.POST, "/v1/payment_intents", form: "amount=2000&currency=usd").json
            let id = intent[stripe: "id"]?.stripeString ?? ""
            XCTAssertEqual(intent[stripe: "status"]?.stripeString, "requires_payment_method")
            let declined = try await sandbox.stripe(.POST, "/v1/payment_intents/\(id)/confirm", form: "payment_method=pm_card_chargeDeclined")
            XCTAssertEqual(declined.status, 402)
            XCTAssertEqual(declined.json[stripe: "error"]?[stripe: "type"]?.stripeString, "card_error")
            XCTAssertEqual(declined.json[stripe: "error"]?[stripe: "decline_code"]?.stripeString, "generic_decline")
            let confirmed = try await sandbox.stripe(.POST, "/v1/payment_intents/\(id)/confirm", form: "payment_method=pm_card_visa").json
            XCTAssertEqual(confirmed[stripe: "status"]?.stripeString, "succeeded")
            let types = try await sandbox.stripe(.GET, "/v1/events?type=%2A&limit=20").json[stripe: "data"]?.stripeArray?
                .compactMap { $0[stripe: "type"]?.stripeString }
            XCTAssertEqual(
                types,
                [
                    "payment_intent.succeeded", "charge.succeeded", "payment_intent.payment_failed", "charge.failed", "payment_intent.created",
                ]
            )
        }
    }

    func testInvoiceItemsBecomeLinesAndFinalizeNumbersTheInvoice() async throws {
        try await StripeSandboxHarness.run(volume: 3) { sandbox in
            let customer = try await sandbox.ids("customers")[0]
            let invoice = try await sandbox.stripe(.POST, "/v1/invoices", form: "customer=\(customer)").json
            let id = invoice[stripe: "id"]?.stripeString ?? ""
            for amount in [1500, 2500] {
                let item = try await sandbox.stripe(
                    .POST,
                    "/v1/invoiceitems",
                    form: "customer=\(customer)&invoice=\(id)&amount=\(amount)&currency=usd"
                )
                XCTAssertEqual(item.status, 200, item.text)
            }
            let lines = try await sandbox.stripe(.GET, "/v1/invoices/\(id)/lines").json
            XCTAssertEqual(lines[stripe: "data"]?.stripeArray?.count, 2)
            let finalized = try await sandbox.stripe(.POST, "/v1/invoices/\(id)/finalize").json
            XCTAssertEqual(finalized[stripe: "status"]?.stripeString, "open")
            XCTAssertEqual(finalized[stripe: "amount_due"]?.stripeInt, 4000)
            XCTAssertNotNil(finalized[stripe: "number"]?.stripeString)
            let paid = try await sandbox.stripe(.POST, "/v1/invoices/\(id)/pay").json
            XCTAssertEqual(paid[stripe: "status"]?.stripeString, "paid")
            XCTAssertEqual(paid[stripe: "amount_remaining"]?.stripeInt, 0)
        }
    }

    func testBalanceAndAccountAnswer() async throws {
        try await StripeSandboxHarness.run(volume: 3) { sandbox in
            let balance = try await sandbox.stripe(.GET, "/v1/balance").json
            XCTAssertEqual(balance[stripe: "object"]?.stripeString, "balance")
            XCTAssertGreaterThan(balance[stripe: "available"]?.stripeArray?.first?[stripe: "amount"]?.stripeInt ?? 0, 0)
            let account = try await sandbox.stripe(.GET, "/v1/account").json
            XCTAssertEqual(account[stripe: "id"]?.stripeString?.hasPrefix("acct_"), true)
        }
    }
}
