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
        let environment = ["HUB_SYNC_PAGE_SIZE": "1000", "HUB_PROVIDER_QUICKBOOKS_RATE_LIMIT": "1000/1000"]
        try await SyncHarness.run(volume: 5, environment: environment) { harness in
            let made = try await harness.sandbox.send(.POST, "/_admin/quickbooks/companies", json: #"{"volumes":{"Invoice":10000}}"#)
            XCTAssertEqual(made.status, 201, made.text)
            let fields = [
                "realm_id": try XCTUnwrap(made.json["realm_id"]?.stringValue), "access_token": try XCTUnwrap(made.json["access_token"]?.stringValue),
            ]
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "quickbooks", fields: fields)
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

                let factory = ConnectionLifecycle(dependencies: harness.hub.dependencies).factory
                let connector = try XCTUnwrap(factory.connector(provider: "quickbooks", credentials: fields) as? QuickBooksConnector)
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
