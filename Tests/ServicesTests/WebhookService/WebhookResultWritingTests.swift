import Foundation
import HubCore
import PostgresNIO
import Synchronization
import XCTest

/// A result the database refuses (its delivery row gone while the attempt was in flight, as when
/// PostgreSQL lost an event it had not committed) is dropped: the results after it are still
/// written, and their deliveries are not sent again.
final class WebhookResultWritingTests: XCTestCase {
    func testAResultTheDatabaseRefusesDoesNotHoldBackTheOthers() async throws {
        let arrived = Mutex(false)
        try await WebhookReceiver().run { receiver in
            receiver.script("/slow") { _ in
                arrived.withLock { $0 = true }
                return .init(status: 200, delay: .seconds(2))
            }
            try await WebhookHarness.run { harness in
                let token = try await harness.hub.token()
                let slow = try await harness.subscribe(receiver.url("/slow"), types: ["invoice.*"], token: token)
                let fast = try await harness.subscribe(receiver.url("/fast"), types: ["payment.*"], token: token)
                try await harness.publish("invoice.created", token: token)
                let deadline = ContinuousClock.now + .seconds(10)
                while !arrived.withLock({ $0 }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
                XCTAssertTrue(arrived.withLock { $0 }, "the slow delivery was never attempted")

                // The attempt is in flight: its delivery and event go, so its attempt cannot be written.
                let postgres = harness.hub.dependencies.postgres
                let logger = Logger(label: "test")
                try await postgres.query("DELETE FROM webhook_deliveries WHERE subscription_id = \(UUID(uuidString: slow.id)!)", logger: logger)
                try await postgres.query("DELETE FROM webhook_events WHERE type = 'invoice.created'", logger: logger)
                try await receiver.wait(timeout: .seconds(10)) { $0.contains { $0.path == "/slow" } }
                try await Task.sleep(for: .milliseconds(300))  // its result is refused meanwhile

                for index in 0..<3 { try await harness.publish("payment.received", data: ["n": index], token: token) }
                let log = try await harness.waitForDeliveries(fast.id, token: token, timeout: .seconds(10)) { log in
                    log.count == 3 && log.allSatisfy { $0["status"] as? String == "delivered" }
                }
                XCTAssertEqual(log.count, 3)
                XCTAssertEqual(receiver.received(path: "/fast").count, 3, "a delivery whose result was written was sent again")
            }
        }
    }

    /// An endpoint answering a NUL byte (which PostgreSQL's text cannot hold) still has its
    /// attempt written: the byte is left out of the response kept for the log.
    func testAResponseWithANULByteIsRecorded() async throws {
        try await WebhookReceiver().run { receiver in
            receiver.script("/nul") { _ in .init(status: 200, body: "ok\u{0}ok") }
            try await WebhookHarness.run { harness in
                let token = try await harness.hub.token()
                let subscription = try await harness.subscribe(receiver.url("/nul"), token: token)
                try await harness.publish("invoice.created", token: token)
                let log = try await harness.waitForDeliveries(subscription.id, token: token, timeout: .seconds(10)) {
                    $0.first?["status"] as? String == "delivered"
                }
                XCTAssertEqual(log.count, 1)
                XCTAssertEqual(receiver.received(path: "/nul").count, 1)
            }
        }
    }
}
