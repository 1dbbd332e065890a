import Foundation
import HubConnectors
import HubCore
import HubTestSupport
import NIOHTTP1
import ProviderSandbox
import XCTest

/// Salesforce through sync-worker: 10,000 of each object pulled exactly once, the first across a
/// SIGKILL of the worker; an incremental pull that brings an edit and a deletion, and one after
/// the deletion log's window that relists and sweeps; local writes pushed without duplicates when
/// retried. XCTest, like the `SyncHarness` it runs on.
final class SalesforcePullTests: XCTestCase {
    static let objects = ["customers": "Account", "contacts": "Contact", "opportunities": "Opportunity", "products": "Product2", "orders": "Order"]

    func testTenThousandOfEachObjectPullExactlyOnceTheFirstAcrossAKilledWorker() async throws {
        // Batches of 200 (Salesforce's smallest): fifty pages an object.
        let environment = ["HUB_SYNC_PAGE_SIZE": "200", "HUB_PROVIDER_SALESFORCE_RATE_LIMIT": "1000/1000"]
        try await SyncHarness.run(volume: 10_000, environment: environment) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "salesforce", fields: harness.salesforceFields)
            // The sandbox holds the calls after the seventh, so the kill lands midway.
            let (_, stored, done, output) = try await harness.jobTakenOverAfterKill(
                token,
                connection: connection,
                entity: "customers",
                afterPages: 5,
                holding: "salesforce"
            )
            XCTAssertGreaterThan(stored, 0)
            XCTAssertLessThan(stored, 10_000, "the kill came before the end")
            XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)\n\(output)")
            XCTAssertEqual(done["attempts"]?.intValue, 2, "taken over once")
            XCTAssertEqual(done["counts"]?["created"]?.intValue, 10_000, "every account created once across both attempts: \(done)")

            try await harness.withWorkers(1) {
                for (entity, object) in Self.objects.sorted(by: { $0.key < $1.key }) {
                    if entity != "customers" {
                        let pulled = try await harness.sync(token, connection: connection, entity: entity)
                        XCTAssertEqual(pulled["status"]?.stringValue, "completed", "\(entity): \(pulled)")
                        XCTAssertEqual(pulled["counts"]?["created"]?.intValue, 10_000, "\(entity): \(pulled)")
                        XCTAssertEqual(pulled["counts"]?["errors"]?.intValue, 0, "\(entity): the default mapping complained: \(pulled)")
                    }
                    let records = try await harness.storedRecords(connection: connection, entity: entity)
                    XCTAssertEqual(Set(records.keys), Set((0..<10_000).map { SalesforceProvider.seededID(object, $0) }), entity)
                    let rows = try await harness.rowCount(connection: connection, entity: entity)
                    XCTAssertEqual(rows, 10_000, "\(entity): no duplicate rows")
                }
            }
        }
    }

    func testAnIncrementalPullBringsAnEditAndADeletion() async throws {
        try await Self.afterFullPull(of: "opportunities") { harness, token, connection, connector in
            let edited = SalesforceProvider.seededID("Opportunity", 4)
            let removed = SalesforceProvider.seededID("Opportunity", 5)
            _ = try await connector.update("opportunities", id: edited, fields: ["StageName": "Closed Won"], idempotencyKey: nil)
            try await connector.delete("opportunities", id: removed)

            let incremental = try await harness.sync(token, connection: connection, entity: "opportunities")
            XCTAssertEqual(incremental["counts"]?["created"]?.intValue, 0, "\(incremental)")
            XCTAssertEqual(incremental["counts"]?["updated"]?.intValue, 1, "\(incremental)")
            XCTAssertEqual(incremental["counts"]?["deleted"]?.intValue, 1, "\(incremental)")
            let after = try await harness.storedRecords(connection: connection, entity: "opportunities")
            XCTAssertEqual(after.count, 29)
            XCTAssertNil(after[removed])
            XCTAssertEqual(after[edited]?["IsWon"]?.boolValue, true)
        }
    }

    /// A connection idle longer than Salesforce keeps deletions: the next pull relists everything
    /// by itself, and what it no longer finds (deleted during the gap) is deleted in the hub too.
    func testAPullAfterTheDeletionLogsWindowRelistsAndSweepsWhatVanished() async throws {
        try await Self.afterFullPull(of: "products") { harness, token, connection, connector in
            let removed = SalesforceProvider.seededID("Product2", 6)
            try await connector.delete("products", id: removed)
            // The connection was last pulled 16 days ago.
            let stale = "sf1:\(Int64(Date().timeIntervalSince1970 * 1000) - 16 * 86_400_000)"
            _ = try await harness.hub.dependencies.postgres.query(
                "UPDATE sync_checkpoints SET checkpoint = \(stale) WHERE connection_id = \(UUID(uuidString: connection)!) AND entity = 'products'",
                logger: harness.logger
            )

            let relisted = try await harness.sync(token, connection: connection, entity: "products")
            XCTAssertEqual(relisted["full_resync"]?.boolValue, false, "an ordinary incremental job: \(relisted)")
            XCTAssertEqual(relisted["counts"]?["created"]?.intValue, 0, "\(relisted)")
            XCTAssertEqual(relisted["counts"]?["deleted"]?.intValue, 1, "\(relisted)")
            let after = try await harness.storedRecords(connection: connection, entity: "products")
            XCTAssertEqual(after.count, 29)
            XCTAssertNil(after[removed])
        }
    }

    /// Runs `body` with one worker, after a first (full) pull of the 30 seeded records of
    /// `entity` for a fresh organization: the harness, its token, the connection and a connector
    /// reaching the org directly.
    static func afterFullPull(
        of entity: String,
        _ body: @escaping @Sendable (SyncHarness, String, String, SalesforceConnector) async throws -> Void
    ) async throws {
        try await SyncHarness.run(volume: 30, environment: ["HUB_PROVIDER_SALESFORCE_RATE_LIMIT": "1000/1000"]) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "salesforce", fields: harness.salesforceFields)
            let connector = try harness.salesforceConnector()
            try await harness.withWorkers(1) {
                let full = try await harness.sync(token, connection: connection, entity: entity)
                XCTAssertEqual(full["counts"]?["created"]?.intValue, 30, "\(full)")
                try await body(harness, token, connection, connector)
            }
        }
    }

    func testNewAndEditedRecordsArePushedAndARetriedCreateMakesNoDuplicate() async throws {
        try await SyncHarness.run(volume: 6, environment: ["HUB_PROVIDER_SALESFORCE_RATE_LIMIT": "1000/1000"]) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "salesforce", fields: harness.salesforceFields)
            let connector = try harness.salesforceConnector()
            let base = "/api/v1/integrations/connections/\(connection)/records"
            try await harness.withWorkers(1) {
                try await harness.sync(token, connection: connection, entity: "customers")
                let created = try await harness.request(
                    .post,
                    base + "/customers",
                    token: token,
                    json: #"{"fields":{"name":"Pushed Co","phone":"555-0100"}}"#
                )
                XCTAssertEqual(created.status, .created, created.text)
                let customers = try await harness.request(.get, base + "/customers?limit=50", token: token).json["data"]?.arrayValue ?? []
                let seeded = try XCTUnwrap(customers.first { $0["external_id"]?.stringValue == SalesforceProvider.seededID("Account", 0) })
                let edited = try await harness.request(
                    .patch,
                    base + "/customers/\(seeded["id"]?.stringValue ?? "")",
                    token: token,
                    json: #"{"fields":{"description":"Key account"}}"#
                )
                XCTAssertEqual(edited.json["pending_operation"]?.stringValue, "update", edited.text)
                let refused = try await harness.request(.post, base + "/customers", token: token, json: #"{"fields":{"phone":"555-0199"}}"#)
                XCTAssertEqual(refused.status, .created, refused.text)

                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers","direction":"push"}"#)
                let pushed = try await harness.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
                XCTAssertEqual(pushed["status"]?.stringValue, "completed", "\(pushed)")
                XCTAssertEqual(pushed["pushed"]?.intValue, 2, "\(pushed)")
                let sample = try XCTUnwrap(pushed["error_samples"]?.arrayValue?.first, "\(pushed)")
                XCTAssertEqual(sample["message"]?.stringValue, "Required fields are missing: [Name]")

                let stored = try await harness.request(.get, base + "/customers/\(created.json["id"]?.stringValue ?? "")", token: token).json
                let externalID = try XCTUnwrap(stored["external_id"]?.stringValue, "\(stored)")
                let remote = try await connector.get("customers", id: externalID)
                XCTAssertEqual(remote.payload["Name"]?.stringValue, "Pushed Co")
                let raw = try await harness.sandbox.send(
                    .GET,
                    "/salesforce/services/data/\(SalesforceConnector.apiVersion)/sobjects/Account/\(externalID)",
                    headers: ["Authorization": "Bearer \(SalesforceProvider.seededToken)"]
                )
                let key = try XCTUnwrap(raw.json[SalesforceConnector.externalIDField]?.stringValue, raw.text)
                XCTAssertTrue(key.hasPrefix("hub-"), key)
                // The push repeated with its key (as after a crash between the call and its record):
                // the same account, not a second.
                let again = try await connector.create("customers", fields: ["Name": "Pushed Co"], idempotencyKey: key)
                XCTAssertEqual(again.externalID, externalID)
                let all = try await harness.directListing(provider: "salesforce", fields: harness.salesforceFields, entity: "customers")
                XCTAssertEqual(all.values.filter { $0["Name"]?.stringValue == "Pushed Co" }.count, 1)
                XCTAssertEqual(all.count, 7)
                let account = try await connector.get("customers", id: SalesforceProvider.seededID("Account", 0))
                XCTAssertEqual(account.payload["Description"]?.stringValue, "Key account")
            }
        }
    }
}
