import Foundation
import HubTestSupport
import HubWebhooks
import XCTest

/// Deliveries end to end: events in through the API, signed requests out to a real receiver on
/// loopback, checked by the `standardwebhooks` reference library.
final class WebhookDeliveryTests: XCTestCase {
    func testDeliveriesAreSignedPerStandardWebhooksAndOnlyMatchingSubscriptionsGetThem() async throws {
        try await WebhookReceiver().run { receiver in
            try await WebhookHarness.run { harness in
                let token = try await harness.hub.token()
                let invoices = try await harness.subscribe(receiver.url("/invoices"), types: ["invoice.*"], token: token)
                let everything = try await harness.subscribe(receiver.url("/all"), types: ["*"], token: token)
                let paid = try await harness.subscribe(receiver.url("/paid"), types: ["invoice.paid", "customer.created"], token: token)
                for index in 0..<5 {
                    let reply = try await harness.publish("invoice.paid", data: ["invoice_id": "inv_\(index)", "amount": 1200], token: token)
                    XCTAssertEqual(reply.status, .accepted, reply.text)
                    XCTAssertEqual(reply.json["deliveries"] as? Int, 3)
                }
                try await harness.publish("customer.updated", data: ["id": "cus_1"], token: token)
                let received = try await receiver.wait { $0.count >= 5 + 6 + 5 }
                XCTAssertEqual(received.filter { $0.path == "/invoices" }.count, 5)
                XCTAssertEqual(received.filter { $0.path == "/all" }.count, 6)
                XCTAssertEqual(received.filter { $0.path == "/paid" }.count, 5)

                for (path, secret) in [("/invoices", invoices.secret), ("/all", everything.secret), ("/paid", paid.secret)] {
                    let messages = received.filter { $0.path == path }
                    let verdicts = try StandardWebhooksVerifier.verify(messages, secrets: [secret])
                    XCTAssertEqual(verdicts, Array(repeating: [true], count: messages.count), path)
                    let foreign = try StandardWebhooksVerifier.verify(messages, secrets: [SigningSecret.generate().text])
                    XCTAssertEqual(foreign, Array(repeating: [false], count: messages.count), "another secret must not verify")
                }
                let first = try XCTUnwrap(received.first { $0.path == "/invoices" })
                XCTAssertEqual(first.json["type"] as? String, "invoice.paid")
                XCTAssertTrue((first.json["id"] as? String)?.hasPrefix("evt_") ?? false)
                XCTAssertNotNil(first.json["timestamp"])
                XCTAssertTrue(first.webhookID.hasPrefix("msg_"))
                XCTAssertEqual(first.headers["content-type"], "application/json")

                let log = try await harness.waitForDeliveries(invoices.id, token: token) { rows in
                    rows.count == 5 && rows.allSatisfy { $0["status"] as? String == "delivered" }
                }
                let attempts = try XCTUnwrap(log.first?["attempts"] as? [[String: Any]])
                XCTAssertEqual(attempts.count, 1)
                XCTAssertEqual(attempts.first?["status_code"] as? Int, 200)
                XCTAssertEqual(attempts.first?["response_body"] as? String, "ok")
                XCTAssertNotNil(attempts.first?["latency_ms"] as? Int)
                XCTAssertNotNil(attempts.first?["attempted_at"] as? String)
            }
        }
    }

    /// Three workers claim from one database, as three replicas would: every delivery is sent
    /// exactly once.
    func testSeveralWorkersShareTheDeliveriesWithoutSendingOneTwice() async throws {
        try await WebhookReceiver().run { receiver in
            try await WebhookHarness.run(workers: 3) { harness in
                let token = try await harness.hub.token()
                for index in 0..<4 { _ = try await harness.subscribe(receiver.url("/shared/\(index)"), token: token) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<200 {
                        group.addTask { try await harness.publish("payment.received", data: ["n": index], token: token) }
                    }
                    try await group.waitForAll()
                }
                let received = try await receiver.wait(timeout: .seconds(60)) { $0.count >= 800 }
                try await Task.sleep(for: .milliseconds(500))
                XCTAssertEqual(receiver.received.count, 800, "an attempt was sent twice")
                XCTAssertEqual(Set(received.map(\.webhookID)).count, 800)
            }
        }
    }
}
