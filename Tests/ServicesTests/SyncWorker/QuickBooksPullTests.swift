import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubTestSupport
import XCTest

/// QuickBooks through the sync worker: a full pull of 10,000 invoices stores exactly them, and
/// the next sync reads change data capture: the one update and the one deletion, nothing else.
final class QuickBooksPullTests: XCTestCase {
    func testTenThousandInvoicesPullExactlyThenChangesArriveThroughChangeDataCapture() async throws {
        // Pages of 1,000 (Intuit's largest) under the default limit of 8 requests a second.
        let environment = ["HUB_SYNC_PAGE_SIZE": "1000"]
        try await SyncHarness.run(volume: 5, environment: environment) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let (connection, _, connector) = try await harness.connectQuickBooks(organization: org, volumes: ["Invoice": 10_000])
            try await harness.withWorkers(1) {
                let started = ContinuousClock.now
                let full = try await harness.sync(token, connection: connection, entity: "invoices")
                let elapsed = ContinuousClock.now - started
                XCTAssertEqual(full["counts"]?["created"]?.intValue, 10_000, "\(full)")
                XCTAssertEqual(full["counts"]?["errors"]?.intValue, 0, "\(full)")
                let stored = try await harness.storedRecords(connection: connection, entity: "invoices")
                XCTAssertEqual(stored.count, 10_000)
                XCTAssertEqual(Set(stored.keys), Set((1...10_000).map(String.init)))
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print("QuickBooks full pull: 10000 invoices in \(seconds) s, \(Int(10_000 / max(seconds, 0.001))) records/s")

                _ = try await connector.update("invoices", id: "42", fields: ["PrivateNote": "changed at the provider"], idempotencyKey: nil)
                try await connector.delete("invoices", id: "43")

                let incremental = try await harness.sync(token, connection: connection, entity: "invoices")
                XCTAssertEqual(incremental["counts"]?["created"]?.intValue, 0, "\(incremental)")
                XCTAssertEqual(incremental["counts"]?["updated"]?.intValue, 1, "\(incremental)")
                XCTAssertEqual(incremental["counts"]?["deleted"]?.intValue, 1, "\(incremental)")
                let after = try await harness.storedRecords(connection: connection, entity: "invoices")
                XCTAssertEqual(after.count, 9_999)
                XCTAssertNil(after["43"])
                XCTAssertEqual(after["42"]?["PrivateNote"]?.stringValue, "changed at the provider")
            }
        }
    }
}
