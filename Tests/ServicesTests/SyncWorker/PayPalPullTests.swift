import Foundation
import HubConnectors
import HubCore
import HubTestSupport
import ProviderSandbox
import XCTest

/// PayPal through sync-worker, connected with its REST app's client id and secret (the token is
/// obtained by oauth-service's client-credentials grant): 3,000 payments and 3,000 invoices
/// pulled exactly once across a SIGKILLed worker process, an incremental pull that picks up a
/// payment PayPal listed late without duplicating those it read before, and a token PayPal
/// stopped accepting renewed after its 401. XCTest, like the `SyncHarness` it runs on.
final class PayPalPullTests: XCTestCase {
    static let fields = ["client_id": "paypal-sandbox-client", "client_secret": "paypal-sandbox-secret"]
    static let environment = ["HUB_SYNC_PAGE_SIZE": "100", "HUB_PROVIDER_PAYPAL_RATE_LIMIT": "1000/1000"]

    func testPaymentsAndInvoicesPullExactlyOnceAcrossAKilledWorker() async throws {
        try await SyncHarness.run(volume: 3_000, environment: Self.environment) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "paypal", fields: Self.fields)
            for entity in ["payments", "invoices"] {
                // A worker process killed after 10 of 30 pages, another finishing the job. Invoices
                // list a page a request, so the sandbox holds the calls after 12 and the kill lands
                // there; payments search window after window, and the kill races their pages, which
                // 100 ms a call keeps two seconds from the end.
                let latency = entity == "payments" ? 100 : 40
                _ = try await harness.sandbox.send(.PUT, "/_admin/faults/paypal", json: #"{"latency_ms":\#(latency)}"#)
                let (_, storedAtKill, done, output) = try await harness.jobTakenOverAfterKill(
                    token,
                    connection: connection,
                    entity: entity,
                    afterPages: 10,
                    holding: entity == "invoices" ? "paypal" : nil
                )
                XCTAssertGreaterThan(storedAtKill, 0, entity)
                XCTAssertLessThan(storedAtKill, 3_000, "\(entity): the kill came before the end")
                XCTAssertEqual(done["status"]?.stringValue, "completed", "\(entity): \(done)\n\(output)")
                XCTAssertEqual(done["attempts"]?.intValue, 2, "\(entity): taken over once")
                XCTAssertEqual(done["counts"]?["created"]?.intValue, 3_000, "\(entity): each created once across both attempts: \(done)")
                XCTAssertEqual(done["counts"]?["errors"]?.intValue, 0, "\(entity): the default mapping complained: \(done)")
                let stored = try await harness.storedRecords(connection: connection, entity: entity)
                XCTAssertEqual(stored.count, 3_000, entity)
                let rows = try await harness.rowCount(connection: connection, entity: entity)
                XCTAssertEqual(rows, 3_000, "\(entity): no duplicate rows")
            }
            _ = try await harness.sandbox.send(.DELETE, "/_admin/faults/paypal")
            let direct = try await harness.directListing(
                provider: "paypal",
                fields: Self.fields.merging(["access_token": PayPalProvider.seededToken]) { $1 },
                entity: "invoices"
            )
            let stored = try await harness.storedRecords(connection: connection, entity: "invoices")
            XCTAssertEqual(Set(stored.keys), Set(direct.keys), "every invoice PayPal lists, no other")
        }
    }

    /// A payment made two hours ago reaches Transaction Search only after the first pull: the next
    /// (incremental) pull overlaps PayPal's three-hour lag and creates it, and re-reading the
    /// payments inside the overlap changes nothing.
    func testAnIncrementalPullPicksUpALatePaymentWithoutDuplicates() async throws {
        try await SyncHarness.run(volume: 30, environment: Self.environment) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "paypal", fields: Self.fields)
            try await harness.withWorkers(1) {
                let full = try await harness.sync(token, connection: connection, entity: "payments")
                XCTAssertEqual(full["counts"]?["created"]?.intValue, 30, "\(full)")
                let late = try await harness.sandbox.send(.POST, "/_admin/paypal/transactions", json: #"{"hours_ago":2,"amount_cents":4321}"#)
                XCTAssertEqual(late.status, 201, late.text)
                let lateID = try XCTUnwrap(late.json["transaction_info"]?["transaction_id"]?.stringValue)
                let next = try await harness.sync(token, connection: connection, entity: "payments")
                XCTAssertEqual(next["counts"]?["created"]?.intValue, 1, "\(next)")
                XCTAssertEqual(next["counts"]?["updated"]?.intValue ?? 0, 0, "\(next)")
                let stored = try await harness.storedRecords(connection: connection, entity: "payments")
                XCTAssertEqual(stored.count, 31)
                XCTAssertNotNil(stored[lateID])
                let rows = try await harness.rowCount(connection: connection, entity: "payments")
                XCTAssertEqual(rows, 31, "no duplicate rows")
                let canonical = try await HubSpotPullTests.canonical(harness, connection: connection, entity: "payments", id: lateID)
                XCTAssertEqual(canonical?["amount"]?.intValue, 4_321, "\(String(describing: canonical))")
                XCTAssertEqual(canonical?["currency"]?.stringValue, "USD")

                // PayPal stops accepting the token (expired early): the 401 renews it once and the
                // pull completes.
                let tokens = try await harness.sandbox.send(.GET, "/_admin/paypal/oauth/tokens").json.arrayValue ?? []
                let issued = tokens.compactMap { $0["kind"]?.stringValue == "access" ? $0["value"]?.stringValue : nil }
                XCTAssertFalse(issued.isEmpty, "oauth-service obtained a token by client credentials")
                for value in issued {
                    let expired = try await harness.sandbox.send(.POST, "/_admin/paypal/oauth/tokens/expire", json: #"{"token":"\#(value)"}"#)
                    XCTAssertEqual(expired.status, 204, expired.text)
                }
                let renewed = try await harness.sync(token, connection: connection, entity: "invoices")
                XCTAssertEqual(renewed["counts"]?["created"]?.intValue, 30, "\(renewed)")
                let after = try await harness.sandbox.send(.GET, "/_admin/paypal/oauth/tokens").json.arrayValue ?? []
                XCTAssertGreaterThan(after.count, tokens.count, "a new token was obtained")
            }
        }
    }
}
