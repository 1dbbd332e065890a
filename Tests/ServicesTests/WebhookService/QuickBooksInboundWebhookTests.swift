import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubTestSupport
import XCTest

/// Intuit's data-change notifications reach the hub signed with the verifier token, name no
/// records, and bring the named entity up to date through an incremental sync.
final class QuickBooksInboundWebhookTests: XCTestCase {
    func testNotificationsQueueIncrementalSyncsThatBringTheChangeAndForgeriesAreRefused() async throws {
        try await InboundHarness.run { harness in
            let org = UUID()
            let token = try await harness.sync.hub.token(organization: org)
            let (connection, _, connector) = try await harness.sync.connectQuickBooks(organization: org, volumes: ["Invoice": 20])
            try await harness.enable(token, connection: connection, entity: "invoices")
            try await harness.register("quickbooks", path: "/webhooks/quickbooks")
            try await harness.sync.withWorkers(1) {
                _ = try await harness.sync.sync(token, connection: connection, entity: "invoices")
                _ = try await connector.update("invoices", id: "3", fields: ["PrivateNote": "changed in QuickBooks"], idempotencyKey: nil)
                try await connector.delete("invoices", id: "4")
                let events = try await harness.waitForProcessing(connection: connection, count: 2)
                XCTAssertEqual(events.map(\.type), ["Invoice.Update", "Invoice.Delete"])
                XCTAssertEqual(events.map(\.status), ["processed", "processed"], "\(events)")
                let jobs = try await harness.sync.request(.get, "/api/v1/integrations/connections/\(connection)/sync/jobs", token: token).json
                let job = try XCTUnwrap(jobs["data"]?.arrayValue?.first { $0["trigger"] == "webhook" }, "\(jobs)")
                XCTAssertEqual(job["entity"], "invoices")
                let done = try await harness.sync.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
                XCTAssertEqual(done["status"], "completed", "\(done)")
                let stored = try await harness.sync.storedRecords(connection: connection, entity: "invoices")
                XCTAssertEqual(stored["3"]?["PrivateNote"]?.stringValue, "changed in QuickBooks")
                XCTAssertNil(stored["4"])
                XCTAssertEqual(stored.count, 19)
            }

            let sent = try await harness.sent("quickbooks")
            let body = Array(try XCTUnwrap(sent.last?["body"]?.stringValue).utf8)
            let forged = try await harness.post(
                "/webhooks/quickbooks",
                body: body,
                headers: ["intuit-signature": Data(repeating: 7, count: 32).base64EncodedString(), "Content-Type": "application/json"]
            )
            XCTAssertEqual(forged.status, 401)
            let count = try await harness.inbound(connection: connection).count
            XCTAssertEqual(count, 2)
        }
    }
}
