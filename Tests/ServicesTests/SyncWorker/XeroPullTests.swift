import Foundation
import HubConnectors
import HubCore
import HubTestSupport
import ProviderSandbox
import XCTest

/// Xero through sync-worker: a full pull of every readable entity stores exactly what the
/// sandbox lists, and an incremental pull after a voided invoice marks it deleted. XCTest, like
/// the `SyncHarness` it runs on, whose helpers assert with XCTest.
final class XeroPullTests: XCTestCase {
    static let fields = ["access_token": XeroProvider.seededToken, "tenant_id": XeroProvider.seededTenantID]

    func testEveryReadableXeroEntityPullsExactlyAndAVoidedInvoiceBecomesADeletion() async throws {
        try await SyncHarness.run(volume: 12) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "xero", fields: Self.fields)
            try await harness.withWorkers(1) {
                for entity in XeroConnector.definition.entities where entity.operations.contains(.read) {
                    let done = try await harness.sync(token, connection: connection, entity: entity.name)
                    let expected = try await harness.directListing(provider: "xero", fields: Self.fields, entity: entity.name)
                    let stored = try await harness.storedRecords(connection: connection, entity: entity.name)
                    XCTAssertFalse(expected.isEmpty, "\(entity.name): the sandbox lists nothing to compare")
                    XCTAssertEqual(Set(stored.keys), Set(expected.keys), entity.name)
                    XCTAssertEqual(done["counts"]?["created"]?.intValue, expected.count, "\(entity.name): \(done)")
                    XCTAssertEqual(done["counts"]?["errors"]?.intValue, 0, "\(entity.name): the default mapping complained: \(done)")
                }
                // Seeded invoice 0 is an AUTHORISED sales invoice: voiding it is a deletion.
                let voided = XeroProvider.seededID("Invoices", 0)
                let admin = "/_admin/xero/tenants/\(XeroProvider.seededTenantID)/Invoices"
                let reply = try await harness.sandbox.send(.POST, admin, json: #"{"InvoiceID":"\#(voided)","Status":"VOIDED"}"#)
                XCTAssertEqual(reply.status, 200, reply.text)
                let done = try await harness.sync(token, connection: connection, entity: "invoices")
                XCTAssertEqual(done["counts"]?["deleted"]?.intValue, 1, "\(done)")
                let remaining = try await harness.storedRecords(connection: connection, entity: "invoices")
                XCTAssertEqual(remaining.count, 8)
                XCTAssertNil(remaining[voided])
            }
        }
    }

    /// 10,000 sales invoices (the sandbox seeds 13,333 invoices, every fourth a bill) in pages of
    /// 1,000, Xero's largest: eleven calls, well inside its 60 a minute, and exactly those ids stored.
    func testTenThousandSalesInvoicesPullExactly() async throws {
        let environment = ["HUB_SYNC_PAGE_SIZE": "1000"]
        try await SyncHarness.run(volume: 13_333, environment: environment) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "xero", fields: Self.fields)
            try await harness.withWorkers(1) {
                let started = ContinuousClock.now
                let full = try await harness.sync(token, connection: connection, entity: "invoices")
                let elapsed = ContinuousClock.now - started
                XCTAssertEqual(full["status"]?.stringValue, "completed", "\(full)")
                XCTAssertEqual(full["counts"]?["created"]?.intValue, 10_000, "\(full)")
                XCTAssertEqual(full["counts"]?["errors"]?.intValue, 0, "\(full)")
                let stored = try await harness.storedRecords(connection: connection, entity: "invoices")
                XCTAssertEqual(stored.count, 10_000)
                let sales = (0..<13_333).filter { $0 % 4 != 3 }.map { XeroProvider.seededID("Invoices", $0) }
                XCTAssertEqual(sales.count, 10_000)
                XCTAssertEqual(Set(stored.keys), Set(sales))
                let rows = try await harness.rowCount(connection: connection, entity: "invoices")
                XCTAssertEqual(rows, 10_000, "no duplicate rows")
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print("Xero full pull: 10000 invoices in \(seconds) s, \(Int(10_000 / max(seconds, 0.001))) records/s")
            }
        }
    }

    /// A job held back by the rate limit says so: with one call a second and no burst, three pages
    /// wait about a second before each of the last two, and the job counts both waits.
    func testRateLimitWaitsAreReportedOnTheJob() async throws {
        try await SyncHarness.run(volume: 40, environment: ["HUB_PROVIDER_XERO_RATE_LIMIT": "1/1"]) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "xero", fields: Self.fields)
            try await harness.withWorkers(1) {
                let job = try await harness.sync(token, connection: connection, entity: "invoices")
                XCTAssertEqual(job["status"]?.stringValue, "completed", "\(job)")
                XCTAssertEqual(job["pages"]?.intValue, 3, "\(job)")
                let waits = try XCTUnwrap(job["rate_limit_waits"]?.intValue, "\(job)")
                XCTAssertGreaterThanOrEqual(waits, 2, "\(job)")
                XCTAssertGreaterThanOrEqual(try XCTUnwrap(job["rate_limited_ms"]?.intValue), 250 * waits, "\(job)")
                XCTAssertNotNil(job["rate_limited_until"]?.stringValue, "\(job)")
            }
        }
    }

    /// Xero's own limit (1 call a second after a burst of 5; the harness pages by 10) keeps the job
    /// slow enough to kill a worker mid-way; the next worker resumes from the stored page and the
    /// store ends exact.
    func testAKilledWorkersXeroJobIsFinishedByAnotherFromItsPage() async throws {
        try await SyncHarness.run(volume: 200) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "xero", fields: Self.fields)
            let (_, stored, done, output) = try await harness.jobTakenOverAfterKill(
                token,
                connection: connection,
                entity: "invoices",
                afterPages: 5,
                holding: "xero"
            )
            XCTAssertGreaterThan(stored, 0)
            XCTAssertLessThan(stored, 150, "the kill came before the end")
            XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)\n\(output)")
            XCTAssertEqual(done["attempts"]?.intValue, 2, "taken over once")
            XCTAssertEqual(done["counts"]?["created"]?.intValue, 150, "every sales invoice created once: \(done)")
            let rows = try await harness.rowCount(connection: connection, entity: "invoices")
            XCTAssertEqual(rows, 150, "no duplicate rows")
            let expected = try await harness.directListing(provider: "xero", fields: Self.fields, entity: "invoices")
            let records = try await harness.storedRecords(connection: connection, entity: "invoices")
            XCTAssertEqual(Set(records.keys), Set(expected.keys))
        }
    }
}
